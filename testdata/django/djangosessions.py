#!/usr/bin/python3
"""A real Django (3.2, Debian's python3-django) on the other side of
runtime/django's tests: settings are configured here, there is no project.

Usage: djangosessions.py < request.json > answer.json
       djangosessions.py serve   (one request per line, one answer per line;
                                  DJANGO_ENGINE=cookie|db|cache picks the backend)

The request is one JSON object with an "op" and its arguments; the answer is
one JSON object ({"error": traceback} when serving). Environment:
  DJANGO_DB     sqlite:PATH | postgres://user@host:port/db | mysql://user@host:port/db
  DJANGO_REDIS  redis://host:port/db   (the cache backend: django-redis with
                its JSONSerializer, as runtime/django's cache store requires)
  DJANGO_KEY_PREFIX  the cache KEY_PREFIX (default "")
With "migrate": true in the request, the database is migrated first.

`{"op": "vectors"}` prints the vectors committed in vectors.json (regenerate
them with: /usr/bin/python3 djangosessions.py <<< '{"op":"vectors"}' >
vectors.json).
"""
import json
import os
import sys
import urllib.parse

SECRET_KEY = "django-insecure-typedsession-interop-test-key-0123456789abcdef"
AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"


def database():
    url = os.environ.get("DJANGO_DB", "")
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    if url.startswith("sqlite:"):
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": url[len("sqlite:"):]}
    u = urllib.parse.urlparse(url)
    engine = {"postgres": "postgresql", "postgresql": "postgresql", "mysql": "mysql"}[u.scheme]
    return {
        "ENGINE": "django.db.backends." + engine,
        "NAME": u.path.lstrip("/"),
        "USER": u.username or "",
        "PASSWORD": u.password or "",
        "HOST": u.hostname or "",
        "PORT": str(u.port or ""),
    }


def configure(engine):
    from django.conf import settings
    caches = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if os.environ.get("DJANGO_REDIS"):
        caches["default"] = {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["DJANGO_REDIS"],
            "KEY_PREFIX": os.environ.get("DJANGO_KEY_PREFIX", ""),
            "OPTIONS": {"SERIALIZER": "django_redis.serializers.json.JSONSerializer"},
        }
    settings.configure(
        SECRET_KEY=SECRET_KEY,
        USE_TZ=True,
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
        ],
        DATABASES={"default": database()},
        CACHES=caches,
        SESSION_ENGINE=engine,
        SESSION_SERIALIZER="django.contrib.sessions.serializers.JSONSerializer",
        AUTHENTICATION_BACKENDS=[AUTH_BACKEND],
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],  # fast; any works
        ALLOWED_HOSTS=["*"],
    )
    import django
    django.setup()


ENGINES = {
    "cookie": "django.contrib.sessions.backends.signed_cookies",
    "db": "django.contrib.sessions.backends.db",
    "cache": "django.contrib.sessions.backends.cache",
}


def store(backend, key=None):
    from importlib import import_module
    return import_module(ENGINES[backend]).SessionStore(key)


def frozen_time(ts):
    """Make django.core.signing sign at the Unix time ts."""
    import django.core.signing as signing

    class Clock:
        @staticmethod
        def time():
            return ts
    signing.time = Clock


def session_key_of(backend, s):
    return s._get_session_key() if backend == "cookie" else s.session_key


def save(req):
    """Save req["session"] with the backend and return its key (the cookie
    value for the cookie backend)."""
    backend = req["backend"]
    s = store(backend)
    for k, v in req["session"].items():
        s[k] = v
    if "expiry" in req:
        s.set_expiry(req["expiry"])
    if req.get("test_cookie"):
        s.set_test_cookie()
    s.save()
    return {"key": session_key_of(backend, s)}


def load(req):
    """Load the session under req["key"] as the middleware would."""
    from django.conf import settings
    backend = req["backend"]
    s = store(backend, req["key"])
    data = dict(s.items())
    out = {"session": data, "found": bool(data) or s.session_key is not None and backend != "cookie"}
    if backend == "db":
        from django.contrib.sessions.models import Session
        row = Session.objects.filter(session_key=req["key"]).first()
        out["expire_date"] = row.expire_date.isoformat() if row else None
    out["expire_at_browser_close"] = s.get_expire_at_browser_close()
    if not isinstance(data.get("_session_expiry"), str):
        out["expiry_age"] = s.get_expiry_age()
    out["test_cookie_worked"] = s.test_cookie_worked()
    out["cookie_age"] = settings.SESSION_COOKIE_AGE
    return out


def request_with(backend, key):
    from django.conf import settings
    from django.test import RequestFactory
    from django.contrib.sessions.middleware import SessionMiddleware
    rf = RequestFactory()
    if key:
        rf.cookies[settings.SESSION_COOKIE_NAME] = key
    request = rf.get("/")
    SessionMiddleware(lambda r: None).process_request(request)
    return request


def ensure_user(username, password):
    from django.contrib.auth.models import User
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, password=password)
    return user


def login(req):
    """Sign username in through django.contrib.auth.login on a request that
    carries req.get("key"), and return the session's key afterwards."""
    from django.contrib.auth import login as django_login
    backend = req["backend"]
    user = ensure_user(req["username"], req.get("password", "pw"))
    request = request_with(backend, req.get("key"))
    django_login(request, user, backend=AUTH_BACKEND)
    request.session.save()
    return {"key": session_key_of(backend, request.session), "user_id": str(user.pk),
            "password": user.password, "session": dict(request.session.items())}


def whoami(req):
    """Who django.contrib.auth.get_user says is signed in on a request that
    carries req["key"]."""
    from django.contrib.auth import get_user
    backend = req["backend"]
    if req.get("username"):
        ensure_user(req["username"], req.get("password", "pw"))
    request = request_with(backend, req["key"])
    user = get_user(request)
    return {"authenticated": user.is_authenticated,
            "user_id": str(user.pk) if user.is_authenticated else None,
            "username": user.get_username() if user.is_authenticated else None}


def user(req):
    """Create (if need be) a user and return its id and password hash."""
    u = ensure_user(req["username"], req.get("password", "pw"))
    return {"user_id": str(u.pk), "password": u.password, "hash": u.get_session_auth_hash()}


def cache_key(req):
    from django.core.cache import cache
    from django.contrib.sessions.backends.cache import KEY_PREFIX
    return {"key": cache.make_key(KEY_PREFIX + req["key"])}


def vectors(req):
    """Values made by this Django, for tests that run without Python."""
    import django
    from django.core import signing
    from django.contrib.sessions.backends.db import SessionStore as DBStore
    from django.utils.crypto import salted_hmac
    from django_redis.serializers.json import JSONSerializer as DjangoRedisJSON
    ts = 1767225600  # 2026-01-01T00:00:00Z
    frozen_time(ts)
    sessions = [
        {},
        {"uid": 42, "name": "Zoë \"quoted\" \\ </script>", "roles": ["admin", "staff"]},
        {"cart": [{"sku": "A-1", "qty": 2, "price": 1999}], "flags": {"beta": True, "dark": False},
         "ratio": 0.1, "big": 12345678901234567890123, "neg": -7, "f": 1e16, "g": 1.5e-05, "h": 100.0,
         "nil": None, "emoji": "\U0001F600", "ctl": "\x01\t\n"},
        {"_session_expiry": 3600, "testcookie": "worked", "_auth_user_id": "7",
         "_auth_user_backend": AUTH_BACKEND, "_auth_user_hash": "0" * 64},
        {"_session_expiry": 0, "pad": "x" * 400},
    ]
    out = {"django_version": django.get_version(), "secret_key": SECRET_KEY, "timestamp": ts,
           "sessions": []}
    for s in sessions:
        out["sessions"].append({
            "session": s,
            "json": signing.JSONSerializer().dumps(s).decode("latin-1"),
            "cookie": signing.dumps(s, salt="django.contrib.sessions.backends.signed_cookies",
                                    compress=True),
            "db": DBStore().encode(s),
            "db_sha1": signing.TimestampSigner(salt="django.contrib.sessions.SessionStore",
                                               algorithm="sha1").sign_object(s, compress=True),
            "db_legacy": DBStore()._legacy_encode(s),
            "cache": DjangoRedisJSON({}).dumps(s).decode(),
        })
    out["auth_hash"] = {
        "password": "md5$salt$0123456789abcdef0123456789abcdef",
        "sha256": salted_hmac("django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
                              "md5$salt$0123456789abcdef0123456789abcdef", algorithm="sha256").hexdigest(),
    }
    out["cache_key"] = {"prefix": "", "version": 1, "key": "abcdefgh12345678",
                        "made": ":1:django.contrib.sessions.cacheabcdefgh12345678"}
    return out


OPS = {"vectors": vectors, "save": save, "load": load, "login": login, "whoami": whoami,
       "user": user, "cache_key": cache_key}


def answer(req):
    if req.get("migrate"):
        from django.core.management import call_command
        call_command("migrate", verbosity=0, interactive=False)
    return OPS[req["op"]](req)


def main():
    if sys.argv[1:] == ["serve"]:
        # One request per line, one answer per line, until stdin closes:
        # the tests pay Django's start-up once per backend.
        import traceback
        configure(ENGINES[os.environ.get("DJANGO_ENGINE", "db")])
        for line in sys.stdin:
            try:
                out = answer(json.loads(line))
            except Exception:
                out = {"error": traceback.format_exc()}
            sys.stdout.write(json.dumps(out, sort_keys=True) + "\n")
            sys.stdout.flush()
        return
    req = json.load(sys.stdin)
    configure(ENGINES.get(req.get("backend", "db"), ENGINES["db"]))
    json.dump(answer(req), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
