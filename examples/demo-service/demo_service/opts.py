def list_opts():
    return []
