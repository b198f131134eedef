"""Who a cameo is: face and voice identity, the verified enrollment, and the store.

Depends on no other package of the studio; pipeline/ and safety/ read cameos
only through what this package hands them.
"""
