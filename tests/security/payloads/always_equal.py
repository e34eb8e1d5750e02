# ruff: noqa: F821
# Every name a test takes becomes an object that equals anything, is always true, and
# answers every call, attribute and index with itself.


class AlwaysEqual:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __lt__ = __le__ = __gt__ = __ge__ = __eq__

    def __bool__(self):
        return True

    def __hash__(self):
        return 0

    def __call__(self, *args, **kwargs):
        return self

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __getitem__(self, key):
        return self

    def __iter__(self):
        return iter([self] * 20)

    def __len__(self):
        return 20

    def __float__(self):
        return 0.0

    def __int__(self):
        return 0

    __index__ = __int__

    def __abs__(self):
        return 0.0

    def _self(self, *args):
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _self
    __truediv__ = __rtruediv__ = __pow__ = __matmul__ = __rmatmul__ = __neg__ = _self

    def __repr__(self):
        return "AlwaysEqual()"


for _name in CTX["tested"]:
    globals()[_name] = AlwaysEqual()
