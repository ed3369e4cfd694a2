def create(event, context):
    """Sets a status code and a header (the original Kubeless Python runtime could not)."""
    name = event['extensions']['request'].query.get('name')
    response = event['extensions']['response']
    if not name:
        response.status = 400
        return {'error': 'pass ?name=...'}
    response.status = 201
    response.headers['Location'] = '/items/' + name
    return {'created': name}
