import datetime

import humanize  # installed into the volume by install.py from requirements.txt


def ago(event, context):
    """Says how long ago a number of seconds is, in words."""
    seconds = int(event['data'] or 3600) if not isinstance(event['data'], bytes) else 3600
    return {'seconds': seconds, 'words': humanize.naturaldelta(datetime.timedelta(seconds=seconds))}
