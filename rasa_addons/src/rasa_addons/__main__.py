"""`python -m rasa_addons run …`: Rasa's command line with rasa_addons.runtime installed, and the
API token from RASA_AUTH_TOKEN (rasa_addons.api_token)."""

import sys

from rasa_addons import api_token
from rasa_addons.runtime import main

if __name__ == "__main__":
    api_token.install(sys.argv)
    main()
