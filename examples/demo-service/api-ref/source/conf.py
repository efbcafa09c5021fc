project = 'demo-service API Reference'
extensions = ['os_api_ref']
