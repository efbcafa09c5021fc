"""demo-service: a fictional OpenStack service for trying rallyforge."""
