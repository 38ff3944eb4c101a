"""Display names of the codes the store uses (statuses, kinds, levels), translated."""

from flask_babel import lazy_gettext as _l

# Names of the member levels known out of the box; a level added in settings shows its code.
LEVEL_NAMES = {
    "standard": _l("Standard"),
    "silver": _l("Silver member"),
    "gold": _l("Gold member"),
}
BUSINESS_TYPE_NAMES = {
    "shop": _l("Shop"),
    "streamer": _l("Live-stream seller"),
    "cross_border": _l("Cross-border seller"),
    "restaurant": _l("Restaurant"),
    "group_buyer": _l("Group buyer"),
    "other": _l("Other"),
}
ORDER_STATUS_NAMES = {
    "awaiting_payment": _l("Awaiting payment at the counter"),
    "paid": _l("Paid"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
    "expired": _l("Expired: not paid in time"),
}
# What the time an order closed is called, by how it closed (the buyer's order page).
CLOSED_AT_NAMES = {
    "completed": _l("Completed at"),
    "cancelled": _l("Cancelled at"),
    "expired": _l("Expired at"),
}
GROUP_NAMES = {
    "pickup": _l("Pick up at the counter"),  # centre stock, taken away now
    "local_delivery": _l("Local delivery"),  # centre stock, brought within the radius
    "factory_shipment": _l("Shipped from the factory"),  # forwarded once paid
}
GROUP_STATUS_NAMES = {
    "pending": _l("Waiting"),  # not paid yet, or paid and not picked
    "picked": _l("Ready for pick-up"),  # staff set it aside at the counter
    "collected": _l("Collected"),
    "forward_queued": _l("Sent to the factory"),
    "shipped": _l("Shipped"),
    "delivered": _l("Delivered"),
    "cancelled": _l("Cancelled"),
}
FORWARD_STATE_NAMES = {
    "queued": _l("waiting to be sent"),
    "sending": _l("being sent"),
    "submitted": _l("received by the factory"),
    "accepted": _l("accepted by the factory"),
    "rejected": _l("rejected by the factory"),
    "shipped": _l("shipped"),
    "delivered": _l("delivered"),
    "cancel_requested": _l("cancellation requested"),
    "cancelled": _l("cancelled"),
}
FORWARD_REASON_NAMES = {
    "out_of_stock": _l("out of stock"),
    "bad_address": _l("bad address"),
    "other": _l("other reason"),
    "rerouted": _l("sent from the centre's stock instead"),
    "cancelled": _l("cancelled by the centre"),
    "order_cancelled": _l("the order was cancelled"),
}
ADJUST_REASON_NAMES = {
    "damaged": _l("damaged"),
    "lost": _l("lost"),
    "found": _l("found"),
    "sample": _l("taken as a sample"),
    "other": _l("other reason"),
}
FULFILMENT_MODE_NAMES = {
    "ships_itself": _l("ships from the factory"),
    "stocks_centre": _l("stocks the centre"),
}
ROLE_NAMES = {
    "staff": _l("staff"),  # the counter, stock, printing
    "manager": _l("manager"),  # and the catalogue, shelves, counts, reports, audit
    "admin": _l("admin"),  # and factories and sign-in accounts
    "factory": _l("factory"),  # its own portal alone
}
FACTORY_FIELD_NAMES = {
    "code": _l("Code"),
    "name_zh": _l("Name (Chinese)"),
    "name_en": _l("Name (English)"),
    "industrial_belt_zh": _l("Industrial belt (Chinese)"),
    "industrial_belt_en": _l("Industrial belt (English)"),
    "contact_name": _l("Contact"),
    "contact_phone": _l("Contact phone"),
    "fulfilment_mode": _l("Fulfilment"),
    "dispatch_promise_hours": _l("Dispatch promise (hours)"),
    "mixed_batch_min": _l("Mixed-batch minimum (￥)"),
}
PAYMENT_METHOD_NAMES = {
    "cash": _l("Cash"),
    "card": _l("Card terminal"),
    "bank_transfer": _l("Bank transfer"),
    "on_account": _l("On account"),
}
PRINT_STATUS_NAMES = {
    "queued": _l("waiting"),
    "printing": _l("printing"),
    "done": _l("printed"),
    "failed": _l("failed"),
}
# The printers a print job goes to, by the name the queue gives them.
PRINTER_NAMES = {
    "counter": _l("Receipt printer"),  # printing.receipt_printer
    "labels": _l("Label printer"),  # printing.label_printer
    "pdf": _l("Label sheets (PDF)"),  # rendered for download, printed from a computer
}
PRINT_KIND_NAMES = {
    "receipt": _l("Receipt"),
    "label": _l("Shelf labels"),
    "label-pdf": _l("Shelf label sheet"),
}
LABEL_FACT_NAMES = {
    "name": _l("name"),
    "ladder": _l("prices"),
    "moq": _l("MOQ"),
    "case_pack": _l("case pack"),
    "zone": _l("zone"),
    "place": _l("place on the shelf"),
    "code": _l("slot code"),
}
# Product categories of the demo centre; a category not named here shows its code.
CATEGORY_NAMES = {
    "accessories": _l("Accessories"),
    "apparel": _l("Apparel"),
    "appliances": _l("Small appliances"),
    "drinkware": _l("Cups and bottles"),
    "electronics": _l("Electronics"),
    "furniture": _l("Furniture"),
    "household": _l("Household"),
    "kitchen": _l("Kitchen"),
    "outdoor": _l("Outdoor"),
    "party": _l("Party supplies"),
    "stationery": _l("Stationery"),
    "storage": _l("Storage"),
    "tools": _l("Hardware and tools"),
    "umbrellas": _l("Umbrellas"),
}
# What each outbox topic carries out, as staff see it on the stuck-work page.
TOPIC_NAMES = {
    "broker.publish": _l("Live update for screens and order pages"),
    "print.job": _l("Print job"),
    "labels.render": _l("Shelf label sheet"),
    "forward.deliver": _l("Forward to a factory"),
    "forward.notice": _l("Cancellation notice to a factory"),
    "sms.code": _l("One-time code by text message"),
}
