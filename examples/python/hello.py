def handler(event, context):
    """The smallest function: a str answer is sent as text/plain."""
    return 'hello world'
