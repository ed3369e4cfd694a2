def echo(event, context):
    """Echoes the JSON body back with the event id and the request method."""
    return {
        'received': event['data'],
        'eventId': event['event-id'],
        'method': event['extensions']['request'].method,
    }
