"""The console's shell: signing in and out, and its start page."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import login_user

from store_api.staff.auth import authenticate, refused_message, sign_out, staff_required
from store_api.web.routes import Routes
from store_api.web.same_origin import local_target

routes = Routes()


@routes.route("/login", methods=["GET", "POST"])
def login():
    """Sign staff in."""
    error = None
    if request.method == "POST":
        user = authenticate(request.form.get("username"), request.form.get("password"))
        if user is not None:
            login_user(user)
            home = url_for("console.counter" if user.is_staff else "portal.stock")
            target = local_target(request.args.get("next"), home)
            return redirect(target, 303)
        error = refused_message()
    return render_template("console/login.html", error=error), 401 if error else 200


@routes.post("/logout")
def logout():
    """Sign out."""
    sign_out()
    return redirect(url_for("console.login"), 303)


@routes.get("/")
@staff_required
def home():
    """The console starts at the counter."""
    return redirect(url_for("console.counter"))
