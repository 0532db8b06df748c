"""Small rules shared by several apps (dates, free text). Pure unless a module says otherwise."""
