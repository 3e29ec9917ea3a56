"""The web's database backends: Django's, each with what adaldyq changes (`sqlite3`)."""
