"""A local stand-in for Meta's HTTP APIs (Graph, OAuth, webhooks). Standard library only."""

META_APP_ID = "100000000000001"
META_APP_SECRET = "sandbox-meta-app-secret"
INSTAGRAM_APP_ID = "200000000000002"
INSTAGRAM_APP_SECRET = "sandbox-instagram-app-secret"
WEBHOOK_VERIFY_TOKEN = "sandbox-verify-token"
APP_NAME = "SocialDataLab"

FB_USER_ID = "10000000000000001"
FB_USER_NAME = "Pesquisadora IFMA"
PAGE_ID = "20000000000000001"
PAGE_NAME = "IFMA Campus São Luís - Monte Castelo"
