"""Reports for managers: scans to orders, sales by zone and factory, consignment."""
