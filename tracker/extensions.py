"""The Flask extensions the app factory and the blueprints share, each made once, bound later."""

from flask_bootstrap import Bootstrap5
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
bootstrap = Bootstrap5()
