"""The demo centre, loaded by `xuanpin demo`: above every domain, since it fills them all."""
