"""The chat UI's parts (`app.py` is the entry point): settings, login, inputs, rendering, uploads,
the assistant's loading and concurrency, the chat handlers and the page layout."""
