"""gunicorn's configuration for a production host's pages, from xuanpin's own settings
(XUANPIN_CONFIG, XUANPIN_* variables), so it and `xuanpin serve` never disagree:

    gunicorn -c config/gunicorn.conf.py 'store_api:create_app()'

gthread workers, one per core unless server.workers says otherwise, on server.port; event
streams go to config/gunicorn-streams.conf.py. SIGHUP reloads the workers gracefully.
"""

from store_api.serving import gunicorn_conf

globals().update(gunicorn_conf(streams=False))
