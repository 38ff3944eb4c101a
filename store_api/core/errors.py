"""Errors that domain services raise when a rule refuses a command; messages are translatable."""

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """A command broke a rule of the centre; nothing it asked for was written.

    `code` is machine-readable, `field` names the input at fault (such as "lines[0].quantity"),
    and the message is translated when it is turned into text.
    """

    status = 422
    code = "invalid"

    def __init__(self, message, *, code: str | None = None, field: str | None = None,
                 status: int | None = None, **params):
        super().__init__(message)
        self.message = message
        self.params = params
        self.field = field
        self.code = code or self.code
        self.status = status or self.status

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


class NotFound(DomainError):
    status = 404
    code = "not_found"


class InsufficientStock(DomainError):
    status = 409
    code = "insufficient_stock"

    def __init__(self, product_id: int, location_id: int, requested: int,
                 field: str | None = None, sku: str | None = None):
        if sku:
            super().__init__(_l("Not enough stock of %(sku)s: %(requested)s more are wanted."),
                             field=field, sku=sku, requested=requested)
        else:
            super().__init__(
                _l("Not enough stock of product %(product)s at location %(location)s "
                   "for %(requested)s more."),
                field=field, product=product_id, location=location_id, requested=requested,
            )
        self.product_id = product_id
        self.location_id = location_id
        self.requested = requested


class StockConflict(DomainError):
    """A stock change would break a level's constraints, or raced another change."""

    status = 409
    code = "stock_conflict"


class CatalogueError(DomainError):
    """One or more rows of a catalogue load broke the rules; each problem names row and field."""

    code = "catalogue_invalid"

    def __init__(self, problems: list["RowProblem"]):
        super().__init__(_l("The catalogue has %(count)s problems."), count=len(problems))
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join([super().__str__(), *(str(problem) for problem in self.problems)])


class RowProblem:
    """What is wrong with one field of one row of a catalogue file."""

    def __init__(self, source: str, row: int | None, key: str, field: str, message, **params):
        self.source, self.row, self.key, self.field = source, row, key, field
        self.message, self.params = message, params

    def detail(self) -> str:
        """The message alone, without where it was found."""
        return str(self.message) % self.params if self.params else str(self.message)

    def __str__(self) -> str:
        where = _l("%(source)s row %(row)s (%(key)s), field %(field)s") if self.row else _l(
            "%(source)s (%(key)s), field %(field)s")
        where = where % {"source": self.source, "row": self.row, "key": self.key,
                         "field": self.field}
        return f"{where}: {self.detail()}"
