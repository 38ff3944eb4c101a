"""gunicorn's configuration for a production host's event streams (zone screens, order pages):
gevent workers on streams.port, from xuanpin's own settings.

    gunicorn -c config/gunicorn-streams.conf.py 'store_api:create_app()'
"""

from store_api.serving import gunicorn_conf

globals().update(gunicorn_conf(streams=True))
