"""`python -m rasa_addons run …`: Rasa's command line with rasa_addons.runtime installed."""

from rasa_addons.runtime import main

if __name__ == "__main__":
    main()
