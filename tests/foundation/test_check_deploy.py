import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x7Qe0p9s-production-like-secret-key-for-the-deploy-check-3Lm8Zr2Vw",
    "ALLOWED_HOSTS": "socialdatalab.dev",
    "TOKEN_ENCRYPTION_KEYS": "m1uYyc2mZ2Q3fGd8lX3bJ0o3u0Xw3O3C8Q5n9mHc3rE=",
    "META_APP_ID": "1",
    "META_APP_SECRET": "meta-secret",
    "INSTAGRAM_APP_ID": "2",
    "INSTAGRAM_APP_SECRET": "instagram-secret",
    "META_WEBHOOK_VERIFY_TOKEN": "verify",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "META_SANDBOX_URL": "",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "META_SANDBOX_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_its_secrets():
    without_secret = {k: v for k, v in PRODUCTION.items() if k != "META_APP_SECRET"}

    result = _manage("check", env=without_secret)

    assert result.returncode != 0
    assert "META_APP_SECRET" in result.stderr
