"""Every table of the store server, by domain, for what needs the whole schema at once (the
migrations); the app has them all through its bootstrap."""

from store_api.buyers import models as buyers
from store_api.catalogue import models as catalogue
from store_api.core import models as core
from store_api.displays import models as displays
from store_api.factories import models as factories
from store_api.fulfilment import models as fulfilment
from store_api.orders import models as orders
from store_api.printing import models as printing
from store_api.staff import models as staff
from store_api.stock import models as stock

Base = core.Base
DOMAINS = (core, factories, staff, catalogue, stock, buyers, orders, printing, displays,
           fulfilment)
