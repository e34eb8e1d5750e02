"""The contract library of hidden tests (autograder/grading/contracts.py): each rule passes
a right function and catches the kind of mistake it is for, in-process and through a
real worker."""

from __future__ import annotations

import copy
import inspect
import random
from dataclasses import replace

import pytest
import torch
from test_proxy import worker_for

from autograder.grading.contracts import Contract, ContractBroken, check_contract, check_fresh_init


def rows(gen, n, c):
    return (torch.randn(n, c, generator=gen),), {}


SOFTMAX = Contract(
    name="softmax",
    inputs=rows,
    sizes=[(1, 3), (6, 5), (4, 1)],
    reference=lambda x: torch.softmax(x, dim=1),
    dtypes=(torch.float32, torch.float64),
    grads=(0,),
)


def softmax(x):
    shifted = x - x.max(dim=1, keepdim=True).values
    e = shifted.exp()
    return e / e.sum(dim=1, keepdim=True)


def softmax_in_place(x):
    x.sub_(x.max(dim=1, keepdim=True).values)
    return x.exp() / x.exp().sum(dim=1, keepdim=True)


def softmax_hard_coded(x):
    e = x.exp()
    return e / e[:, :3].sum(dim=1, keepdim=True) if x.shape[1] >= 3 else e / e.sum()


def softmax_float32(x):
    return torch.softmax(x.float(), dim=1)


def softmax_detached_sum(x):
    e = x.exp()
    return e / e.sum(dim=1, keepdim=True).detach()


def softmax_computed_in_float32(x):  # the dtype kept, float64's precision not
    return torch.softmax(x.float(), dim=1).to(x.dtype)


@pytest.mark.parametrize(
    ("func", "message"),
    [
        (softmax_in_place, "не должна изменять"),
        (softmax_hard_coded, "неверный результат"),
        (softmax_float32, "тип результата"),
        (softmax_computed_in_float32, "другого типа входа"),
        (softmax_detached_sum, "градиент по входу неверен"),
        (lambda x: torch.softmax(x, dim=1).detach(), "градиент не доходит"),
    ],
    ids=[
        "in-place",
        "size-hard-coded",
        "dtype-lost",
        "precision-lost",
        "term-detached",
        "graph-cut",
    ],
)
def test_each_rule_catches_its_kind_of_mistake(func, message):
    check_contract(softmax, SOFTMAX)
    with pytest.raises(ContractBroken, match=message):
        check_contract(func, SOFTMAX)


def test_an_in_place_function_must_leave_exactly_the_declared_effect():
    contract = Contract(
        name="clip_",
        inputs=lambda gen, n: ((3 * torch.randn(n, generator=gen), 1.0), {}),
        sizes=[(1,), (9,)],
        effect=lambda w, bound: w.clamp_(-bound, bound),
    )

    def clip_(w, bound):
        w.clamp_(-bound, bound)

    def clip_copy(w, bound):
        w = w.clamp(-bound, bound)

    check_contract(clip_, contract)
    with pytest.raises(ContractBroken, match="аргументы после вызова"):
        check_contract(clip_copy, contract)


def linear(gen, n):
    model = torch.nn.Linear(n, 1)
    with torch.no_grad():
        model.weight.copy_(torch.randn(1, n, generator=gen))
        model.bias.zero_()
    return model


def test_seeds_are_honoured_and_modes_restored():
    seeded = Contract(
        name="noise",
        inputs=lambda gen, n: ((n,), {"seed": 5}),
        sizes=[(2,), (7,)],
        seed="seed",
    )

    check_contract(noise, seeded)
    with pytest.raises(ContractBroken, match="другой seed"):
        check_contract(lambda n, seed=0: noise(n, 0), seeded)
    with pytest.raises(ContractBroken, match="один и тот же seed"):
        check_contract(lambda n, seed=0: noise(n, random.getrandbits(32)), seeded)

    for global_draws in (noise_reseeding_global, lambda n, seed=0: torch.randn(n)):
        with pytest.raises(ContractBroken, match="своего torch.Generator"):
            check_contract(global_draws, seeded)

    moded = Contract(
        name="evaluate",
        inputs=lambda gen, n: ((linear(gen, n), torch.randn(3, n, generator=gen)), {}),
        sizes=[(2,), (4,)],
        modules=(0,),
        pure=False,
    )

    def evaluate(model, x):
        was = model.training
        model.eval()
        with torch.no_grad():
            out = model(x)
        model.train(was)
        return out

    def evaluate_leaves_eval(model, x):
        model.eval()
        with torch.no_grad():
            return model(x)

    check_contract(evaluate, moded)
    with pytest.raises(ContractBroken, match="режим модели"):
        check_contract(evaluate_leaves_eval, moded)

    returned = Contract(
        name="build",
        inputs=lambda gen, n: ((n,), {}),
        sizes=[(2,), (3,)],
        repeatable=False,
        result_training=False,
    )
    check_contract(lambda n: torch.nn.Linear(n, 1).eval(), returned)
    with pytest.raises(ContractBroken, match="режиме eval"):
        check_contract(lambda n: torch.nn.Linear(n, 1), returned)


WORKER_SOURCE = """
import torch

def softmax(x):
    e = (x - x.max(dim=1, keepdim=True).values).exp()
    return e / e.sum(dim=1, keepdim=True)

def softmax_detached_sum(x):
    e = x.exp()
    return e / e.sum(dim=1, keepdim=True).detach()

def softmax_in_place(x):
    x.sub_(x.max(dim=1, keepdim=True).values)
    return x.exp() / x.exp().sum(dim=1, keepdim=True)

class Recurrent(torch.nn.Module):
    def __init__(self, cut=False):
        super().__init__()
        self.cell, self.out, self.cut = torch.nn.GRUCell(3, 4), torch.nn.Linear(4, 2), cut

    def forward(self, x):
        h = torch.zeros(x.shape[0], 4, dtype=x.dtype)
        for t in range(x.shape[1]):
            h = self.cell(x[:, t], h.detach() if self.cut else h)
        return self.out(h)

recurrent, recurrent_cut = Recurrent(), Recurrent(cut=True)

class Noisy(torch.nn.Module):
    def __init__(self, in_place=False):
        super().__init__()
        self.lin, self.in_place = torch.nn.Linear(3, 2), in_place

    def forward(self, x):
        if self.training:  # noise only while training: into the caller's tensor if in_place
            noise = 0.1 * torch.randn_like(x)
            x = x.add_(noise) if self.in_place else x + noise
        return self.lin(x)

noisy, noisy_in_place = Noisy().eval(), Noisy(in_place=True).eval()
"""


def test_contracts_hold_the_same_through_the_worker(tmp_path):
    """Gradients are taken where the graph lives (the worker backpropagates) and effects on
    arguments come back, so a proxy meets or breaks a contract as the plain function does."""
    with worker_for(WORKER_SOURCE, tmp_path) as namespace:
        check_contract(namespace["softmax"], SOFTMAX)
        with pytest.raises(ContractBroken, match="градиент по входу неверен"):
            check_contract(namespace["softmax_detached_sum"], SOFTMAX)
        with pytest.raises(ContractBroken, match="не должна изменять"):
            check_contract(namespace["softmax_in_place"], SOFTMAX)
        recurrent = namespace["recurrent"]
        before = recurrent.state_dict()
        check_contract(recurrent, RECURRENT)
        after = recurrent.state_dict()
        assert all(torch.equal(before[k], after[k]) for k in before)
        assert after["out.weight"].dtype == torch.float32
        with pytest.raises(ContractBroken, match="не совпадают с производной"):
            check_contract(namespace["recurrent_cut"], RECURRENT)
        check_contract(namespace["noisy"], NOISY)
        with pytest.raises(ContractBroken, match="в режиме train"):
            check_contract(namespace["noisy_in_place"], NOISY)
        assert namespace["noisy_in_place"].training is False  # the mode it was in


class TwoBranch(torch.nn.Module):
    def __init__(self, cut=False):
        super().__init__()
        self.a, self.b, self.cut = torch.nn.Linear(3, 2), torch.nn.Linear(3, 2), cut

    def forward(self, x):
        side = self.b(x)
        return self.a(x) + (side.detach() if self.cut else side)


def test_a_branch_cut_off_from_the_graph_is_seen_in_the_parameters():
    contract = Contract(
        name="TwoBranch",
        inputs=lambda gen, n: ((torch.randn(n, 3, generator=gen),), {}),
        sizes=[(1,), (4,)],
        param_grads=True,
    )
    check_contract(TwoBranch(), contract)
    with pytest.raises(ContractBroken, match="части параметров"):
        check_contract(TwoBranch(cut=True), contract)


def test_inputs_that_require_grad_and_rows_one_by_one():
    derivative = Contract(
        name="derivative",
        inputs=lambda gen, n: ((torch.randn(n, generator=gen, dtype=torch.float64),), {}),
        sizes=[(1,), (5,)],
        reference=lambda x: torch.cos(x),
    )

    def right(x):
        x = x.detach().clone().requires_grad_(True)
        torch.sin(x).sum().backward()
        return x.grad

    def clone_without_detach(x):
        x = x.clone().requires_grad_(True)
        torch.sin(x).sum().backward()
        return x.grad if x.grad is not None else torch.zeros_like(x)

    check_contract(right, derivative)
    with pytest.raises(ContractBroken, match="requires_grad"):
        check_contract(clone_without_detach, derivative)

    rows = Contract(
        name="model",
        inputs=lambda gen, n: ((torch.randn(n, 3, generator=gen),), {}),
        sizes=[(1,), (6,)],
        rows_independent=True,
    )
    check_contract(lambda x: x * 2.0, rows)
    with pytest.raises(ContractBroken, match="других примеров батча"):
        check_contract(lambda x: (x - x.mean(0)) / (x.std(0) + 1.0), rows)


def test_a_result_keeps_a_graph_only_where_the_reference_does():
    derivative = Contract(
        name="derivative",
        inputs=lambda gen, n: ((torch.randn(n, generator=gen, dtype=torch.float64),), {}),
        sizes=[(1,), (5,)],
        reference=lambda x: torch.cos(x),
    )

    def with_graph(x):  # the right values, and a graph the caller never asked for
        x = x.detach().clone().requires_grad_(True)
        (grad,) = torch.autograd.grad(torch.sin(x).sum(), x, create_graph=True)
        return grad

    with pytest.raises(ContractBroken, match="тянуть за собой граф"):
        check_contract(with_graph, derivative)

    scale = torch.nn.Linear(3, 3)
    module = Contract(
        name="module",
        inputs=lambda gen, n: ((torch.randn(n, 3, generator=gen),), {}),
        sizes=[(1,), (4,)],
        reference=scale,
    )
    check_contract(scale, module)
    with pytest.raises(ContractBroken, match="оторван от графа"):
        check_contract(lambda x: scale(x).detach(), module)

    # a second output cut off from the graph: the gradient takes a direction for every output
    pair = Contract(
        name="pair",
        inputs=lambda gen, n: ((torch.randn(n, generator=gen),), {}),
        sizes=[(1,), (4,)],
        reference=lambda x: (x * 2, torch.softmax(x, dim=0)),
        grads=(0,),
    )
    check_contract(lambda x: (x * 2, torch.softmax(x, dim=0)), pair)
    with pytest.raises(ContractBroken, match="градиент по входу неверен"):
        check_contract(lambda x: (x * 2, torch.softmax(x, dim=0).detach()), pair)


class Dropout(torch.nn.Module):
    def __init__(self, p, through_data=False):
        super().__init__()
        self.p, self.through_data = p, through_data

    def forward(self, x):
        keep = (torch.rand(x.shape) >= self.p).to(x.dtype)
        return (x.data if self.through_data else x) * keep / (1.0 - self.p)


def test_gradients_reach_the_inputs_of_a_random_function():
    contract = Contract(
        name="Dropout",
        inputs=lambda gen, n, c: ((1.0 + torch.rand(n, c, generator=gen),), {}),
        sizes=[(40, 30), (2, 300)],
        repeatable=False,
        grads_reach=(0,),
    )
    check_contract(Dropout(0.3), contract)
    with pytest.raises(ContractBroken, match="градиент не доходит"):
        check_contract(Dropout(0.3, through_data=True), contract)


# A state carried through steps; `cut` detaches it before each step (every parameter still
# gets a gradient, only not the right one). The same class the worker test defines.
_WORKER_DEFINITIONS: dict = {}
exec(WORKER_SOURCE, _WORKER_DEFINITIONS)
Recurrent = _WORKER_DEFINITIONS["Recurrent"]
Noisy = _WORKER_DEFINITIONS["Noisy"]


RECURRENT = Contract(
    name="Recurrent",
    inputs=lambda gen, n, t: ((torch.randn(n, t, 3, generator=gen),), {}),
    sizes=[(2, 3), (3, 4)],
    param_grads=True,
    param_grads_exact=True,
)


def test_parameter_gradients_are_the_derivative_itself():
    contract = RECURRENT
    right = Recurrent()
    before = {k: v.clone() for k, v in right.state_dict().items()}
    check_contract(right, contract)
    assert all(torch.equal(before[k], v) for k, v in right.state_dict().items())
    assert next(right.parameters()).dtype == torch.float32  # handed back as it came
    with pytest.raises(ContractBroken, match="не совпадают с производной"):
        check_contract(Recurrent(cut=True), contract)


NOISY = Contract(
    name="Noisy",
    inputs=lambda gen, n: ((torch.randn(n, 3, generator=gen),), {}),
    sizes=[(1,), (5,)],
    pure_in_train=True,
)


def test_a_module_changes_no_argument_in_train_mode_either():
    """Noise written into the caller's tensor only while training: eval-mode purity passes
    it, the train-mode call catches it, and the module is handed back in its mode."""
    check_contract(Noisy().eval(), NOISY)
    in_place = Noisy(in_place=True).eval()
    check_contract(in_place, replace(NOISY, pure_in_train=False))
    with pytest.raises(ContractBroken, match="в режиме train"):
        check_contract(in_place, NOISY)
    assert in_place.training is False
    training = Noisy(in_place=True).train()
    with pytest.raises(ContractBroken):
        check_contract(training, NOISY)
    assert training.training is True


def scaled(x, factor=2.0):
    return x * factor


SCALED = Contract(
    name="scaled",
    inputs=lambda gen, n: ((torch.randn(n, generator=gen),), {"factor": 3.0}),
    sizes=[(1,), (4,)],
    reference=lambda x, factor=2.0: x * factor,
)


def test_a_keyword_left_out_takes_the_task_default():
    """Every size passes `factor`; only leaving it out shows another default."""
    check_contract(scaled, SCALED)

    def other_default(x, factor=1.0):
        return x * factor

    with pytest.raises(ContractBroken, match="по умолчанию аргумента factor"):
        check_contract(other_default, SCALED)
    # a reference without a default for the keyword: nothing to compare it with
    check_contract(other_default, replace(SCALED, reference=lambda x, factor: x * factor))
    check_contract(other_default, replace(SCALED, defaults=False))


def test_a_cheap_procedure_can_have_its_defaults_checked_too():
    """A seeded procedure (ALS-like: draws from its own generator, returns data compared
    through `result_data`) whose default differs from the task's: unseen unless the contract
    asks for defaults, since procedures are left out by default."""

    def trusted(x, steps=3, seed=0):
        g = torch.Generator().manual_seed(seed)
        return {"w": x * steps + torch.randn(x.shape, generator=g)}

    def other_default(x, steps=2, seed=0):
        return trusted(x, steps=steps, seed=seed)

    contract = Contract(
        name="fit",
        inputs=lambda g, n: ((torch.randn(n, generator=g),), {"steps": 4, "seed": 1}),
        sizes=[(3,), (5,)],
        reference=trusted,
        result_data=lambda result: result["w"],
        seed="seed",
        requires_grad_inputs=False,
    )
    check_contract(other_default, contract)
    check_contract(trusted, replace(contract, defaults=True))
    with pytest.raises(ContractBroken, match="по умолчанию аргумента steps"):
        check_contract(other_default, replace(contract, defaults=True))


class SwitchesToTrain(torch.nn.Module):
    """Teacher forcing taken for training: the forward pass switches its own mode."""

    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(3, 2)

    def forward(self, x):
        self.train()
        return self.lin(x)


def test_a_module_call_leaves_its_own_mode():
    contract = Contract(
        name="SwitchesToTrain",
        inputs=lambda gen, n: ((torch.randn(n, 3, generator=gen),), {}),
        sizes=[(1,), (4,)],
    )
    check_contract(Noisy().eval(), contract)
    with pytest.raises(ContractBroken, match="режим train"):
        check_contract(SwitchesToTrain().eval(), contract)


def decode(model, x):
    model.eval()
    with torch.no_grad():
        return model(x)


def decode_forgetting_eval(model, x):
    with torch.no_grad():
        return model(x)


GLOBAL_MODEL = torch.nn.Linear(3, 2)


def decode_eval_on_global(model, x):
    GLOBAL_MODEL.eval()
    with torch.no_grad():
        return model(x)


def make_model(seed):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(3, 2))


def runs_in_eval(make_model):
    """A model without dropout or batch norm: its results are the same in both modes."""
    return Contract(
        name="decode",
        inputs=lambda gen, n: (
            (
                make_model(int(torch.randint(1000, (1,), generator=gen))),
                torch.randn(n, 3, generator=gen),
            ),
            {},
        ),
        sizes=[(1,), (4,)],
        reference=lambda model, x: model(x).detach(),
        pure=False,  # eval() is the prescribed effect on the model
        runs_in_eval=(0,),
    )


def test_a_model_runs_in_eval_mode_even_where_its_results_would_agree():
    contract = runs_in_eval(make_model)
    check_contract(decode, contract)
    for wrong in (decode_forgetting_eval, decode_eval_on_global):
        check_contract(wrong, replace(contract, runs_in_eval=()))  # the results agree
        with pytest.raises(ContractBroken, match="режиме eval"):
            check_contract(wrong, contract)
    # a copy run in eval mode leaves the caller's model as it was: allowed
    check_contract(lambda model, x: decode(copy.deepcopy(model), x), contract)


def decode_freezing(model, x):  # «for inference»: the caller's model stops learning
    model.requires_grad_(False)
    return decode(model, x)


def decode_backpropagating(model, x):  # a loss looked at: .grad left on the caller's model
    out = model(x)
    out.sum().backward()
    return out.detach()


def test_a_pure_function_leaves_the_model_it_is_handed_as_it_was():
    contract = replace(
        runs_in_eval(make_model), pure=True, runs_in_eval=(), requires_grad_inputs=False
    )
    check_contract(decode, contract)
    for wrong in (decode_freezing, decode_backpropagating):
        check_contract(wrong, replace(contract, pure=False))  # the results agree
        with pytest.raises(ContractBroken, match="переданную ей модель"):
            check_contract(wrong, contract)


def test_the_mode_a_model_ran_in_is_seen_through_the_worker(tmp_path):
    # the very functions the in-process tests use, defined in the notebook
    functions = (decode, decode_forgetting_eval, decode_switching_grad_off, make_model, noise)
    functions += (noise_reseeding_global, decode_twice, pair, pair_detached)
    functions += (fit, fit_forgetting_train, fit_reseeding)
    functions += (decode_freezing, decode_backpropagating)
    source = "import torch\n\n" + "\n\n".join(inspect.getsource(f) for f in functions)
    with worker_for(source, tmp_path) as namespace:
        contract = runs_in_eval(namespace["make_model"])
        check_contract(namespace["decode"], replace(contract, reference=None, defaults=False))
        with pytest.raises(ContractBroken, match="режиме eval"):
            check_contract(namespace["decode_forgetting_eval"], replace(contract, reference=None))
        with pytest.raises(ContractBroken, match="градиенты глобально"):
            check_contract(
                namespace["decode_switching_grad_off"], replace(contract, reference=None)
            )
        # what the call did to the model it was handed, seen in the worker
        kept = replace(
            contract, reference=None, pure=True, runs_in_eval=(), requires_grad_inputs=False
        )
        check_contract(namespace["decode"], kept)
        for wrong in ("decode_freezing", "decode_backpropagating"):
            with pytest.raises(ContractBroken, match="переданную ей модель"):
                check_contract(namespace[wrong], kept)
        seeded = Contract(
            name="noise", inputs=lambda gen, n: ((n,), {"seed": 5}), sizes=[(2,), (7,)], seed="seed"
        )
        check_contract(namespace["noise"], seeded)
        with pytest.raises(ContractBroken, match="своего torch.Generator"):
            check_contract(namespace["noise_reseeding_global"], seeded)
        # a procedure's training mode and the global generator, seen in the worker
        fitted = fitting(namespace["make_model"])
        check_contract(namespace["fit"], fitted)
        with pytest.raises(ContractBroken, match="режиме train"):
            check_contract(namespace["fit_forgetting_train"], fitted)
        with pytest.raises(ContractBroken, match="глобальный генератор"):
            check_contract(namespace["fit_reseeding"], fitted)
        # a trusted wrapper would be traced in the grading process, whose global generator
        # other gradings share: refused, not judged there
        with pytest.raises(ValueError, match="not on a wrapper"):
            check_contract(lambda *a, **k: namespace["fit"](*a, **k), fitted)
        # layer runs are counted in the worker, the reference's calls through proxies too
        counted = replace(contract, reference=decode, same_runs=(0,))
        check_contract(namespace["decode"], counted)
        with pytest.raises(ContractBroken, match="лишние или пропущенные шаги"):
            check_contract(namespace["decode_twice"], counted)
        # a direction for every output, backpropagated in the worker
        both = Contract(
            name="pair",
            inputs=lambda gen, n: ((torch.randn(n, generator=gen),), {}),
            sizes=[(1,), (4,)],
            reference=lambda x: (x * 2, torch.softmax(x, dim=0)),
            grads=(0,),
        )
        check_contract(namespace["pair"], both)
        with pytest.raises(ContractBroken, match="градиент по входу неверен"):
            check_contract(namespace["pair_detached"], both)


def decode_switching_grad_off(model, x):
    model.eval()
    torch.set_grad_enabled(False)  # for `with torch.no_grad():`, which would restore it
    return model(x)


def test_a_call_leaves_gradients_enabled():
    contract = runs_in_eval(make_model)
    try:
        with pytest.raises(ContractBroken, match="градиенты глобально"):
            check_contract(decode_switching_grad_off, contract)
        assert (
            torch.is_grad_enabled()
        )  # the check runs the call from, and back to, the caller's mode
    finally:
        torch.set_grad_enabled(True)


class Reseeding(torch.nn.Module):
    """Seeds the global generator "for reproducibility": the caller's seed no longer matters."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.lin = torch.nn.Linear(3, 2)


def test_a_model_class_draws_its_weights_from_the_callers_generator():
    check_fresh_init(lambda: torch.nn.Linear(3, 2), "Linear")
    with pytest.raises(ContractBroken, match="две модели подряд"):
        check_fresh_init(Reseeding, "Reseeding")
    # nothing drawn (a zero-initialised head, a matrix handed over): nothing to compare
    table = torch.randn(5, 4)
    check_fresh_init(lambda: torch.nn.Embedding.from_pretrained(table), "Embedding", given=[(5, 4)])
    check_fresh_init(lambda: torch.nn.BatchNorm1d(3), "BatchNorm1d")  # ones and zeros


def decode_twice(model, x):
    """The right numbers, by running the model twice (one row at a time, say)."""
    model.eval()
    with torch.no_grad():
        model(x)
        return model(x)


def test_a_prescribed_procedure_runs_the_model_as_often_as_the_reference():
    contract = replace(runs_in_eval(make_model), reference=decode, same_runs=(0,))
    check_contract(decode, contract)
    check_contract(decode_twice, replace(contract, same_runs=()))  # the results agree
    with pytest.raises(ContractBroken, match="лишние или пропущенные шаги"):
        check_contract(decode_twice, contract)


class DrawsInEval(torch.nn.Module):
    """A dropout that draws its mask before it looks at the mode: right in eval, but every
    call moves the caller's generator."""

    def forward(self, x):
        keep = (torch.rand_like(x) >= 0.5).to(x.dtype)
        return x if not self.training else x * keep * 2


def test_a_module_in_eval_mode_draws_nothing_from_the_global_generator():
    contract = Contract(
        name="dropout",
        inputs=lambda gen, n: ((torch.randn(n, 3, generator=gen),), {}),
        sizes=[(1,), (4,)],
        reference=lambda x: x,
    )
    check_contract(torch.nn.Dropout(0.5).eval(), contract)
    with pytest.raises(ContractBroken, match="глобального генератора"):
        check_contract(DrawsInEval().eval(), contract)


def noise(n, seed=0):
    return torch.randn(n, generator=torch.Generator().manual_seed(seed))


def noise_reseeding_global(n, seed=0):  # the same numbers, and the caller's generator reset
    torch.manual_seed(seed)
    return torch.randn(n)


def pair(x):
    return x * 2, torch.softmax(x, dim=0)


def pair_detached(x):
    return x * 2, torch.softmax(x, dim=0).detach()


def decode_reseeding(model, x):
    torch.manual_seed(0)  # "for reproducibility": the caller's generator is reset
    return decode(model, x)


def test_a_deterministic_function_draws_nothing_from_the_global_generator():
    contract = replace(runs_in_eval(make_model), reference=decode, draws_nothing=True)
    check_contract(decode, contract)
    check_contract(decode_reseeding, replace(contract, draws_nothing=False))  # results agree
    with pytest.raises(ContractBroken, match="глобальный генератор"):
        check_contract(decode_reseeding, contract)


def fit(model, x, steps=3, seed=0):
    """A seeded procedure: full steps of SGD in train mode, the order from its own generator."""
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model.train()
    for step in range(steps):  # one sample a step, in the seeded order
        optimizer.zero_grad()
        model(x[order[step % len(x)]][None]).pow(2).mean().backward()
        optimizer.step()
    return model.eval()


def fit_forgetting_train(model, x, steps=3, seed=0):  # the same weights: no dropout, no norm
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range(steps):  # one sample a step, in the seeded order
        optimizer.zero_grad()
        model(x[order[step % len(x)]][None]).pow(2).mean().backward()
        optimizer.step()
    return model.eval()


def fit_reseeding(model, x, steps=3, seed=0):
    torch.manual_seed(seed)  # "for reproducibility": the caller's generator is reset
    return fit(model, x, steps, seed=seed)


def fitting(make_model):
    def trusted(model, x, steps=3, seed=0):
        twin = torch.nn.Sequential(torch.nn.Linear(3, 2))
        twin.load_state_dict(model.state_dict())
        return fit(twin, x, steps, seed)

    return Contract(
        name="fit",
        inputs=lambda gen, n, seed: (
            (
                make_model(int(torch.randint(1000, (1,), generator=gen))).eval(),
                torch.randn(n, 3, generator=gen),
            ),
            {"seed": seed},
        ),
        sizes=[(2, 1), (5, 4)],
        reference=trusted,
        result_data=lambda m: m.state_dict(),
        requires_grad_inputs=False,
        seed="seed",
        pure=False,  # training the caller's model is the point
        runs_in_train=(0,),
        draws_nothing=True,  # a model without dropout: the seeded order is all the randomness
    )


def test_a_procedure_trains_its_model_in_train_mode_even_where_the_weights_would_agree():
    contract = fitting(make_model)
    check_contract(fit, contract)
    check_contract(fit_forgetting_train, replace(contract, runs_in_train=()))  # weights agree
    with pytest.raises(ContractBroken, match="режиме train"):
        check_contract(fit_forgetting_train, contract)
    # a copy trained and returned leaves the caller's model unrun: not judged by this rule
    check_contract(
        lambda model, x, steps=3, seed=0: fit(copy.deepcopy(model), x, steps, seed), contract
    )


def fit_peeking_in_eval(model, x, steps=3, seed=0):  # the same weights: no dropout, no norm
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range(steps):
        model.train()
        optimizer.zero_grad()
        model(x[order[step % len(x)]][None]).pow(2).mean().backward()
        optimizer.step()
        model.eval()  # "a look at the model" between steps, as a critic during G's step
        model(x[:1])
    return model.eval()


def test_a_procedure_that_only_trains_never_runs_its_model_in_eval_mode():
    contract = replace(fitting(make_model), train_only=(0,))
    check_contract(fit, contract)
    check_contract(fit_peeking_in_eval, replace(contract, train_only=()))  # weights agree
    with pytest.raises(ContractBroken, match="не переводят в eval"):
        check_contract(fit_peeking_in_eval, contract)


def test_a_seeded_procedure_of_a_model_without_dropout_draws_nothing_from_the_global_generator():
    contract = fitting(make_model)
    check_contract(fit_reseeding, replace(contract, draws_nothing=False))  # the weights agree
    with pytest.raises(ContractBroken, match="глобальный генератор"):
        check_contract(fit_reseeding, contract)


class Scorer(torch.nn.Module):
    def __init__(self, probabilities=False):
        super().__init__()
        self.lin, self.probabilities = torch.nn.Linear(3, 4), probabilities

    def forward(self, x):
        out = self.lin(x)
        return torch.softmax(out, dim=-1) if self.probabilities else out


def test_a_model_returns_logits_not_probabilities():
    contract = Contract(
        name="Scorer",
        inputs=lambda gen, n: ((torch.randn(n, 3, generator=gen),), {}),
        sizes=[(1,), (5,)],
        reference=lambda x: (x.shape[0], 4),
        result_data=lambda v: tuple(v.shape) if hasattr(v, "shape") else tuple(v),
        returns_logits=True,
    )
    check_contract(Scorer().eval(), contract)
    check_contract(Scorer(probabilities=True).eval(), replace(contract, returns_logits=False))
    with pytest.raises(ContractBroken, match="логиты, а не вероятности"):
        check_contract(Scorer(probabilities=True).eval(), contract)


def lookup(tokens, vocab):
    return [vocab.get(t, vocab["<unk>"]) for t in tokens]


_REMEMBERED: dict = {}


def lookup_remembered(tokens, vocab):  # "faster": remembers the ids of a text it has seen
    key = tuple(tokens)
    if key not in _REMEMBERED:
        _REMEMBERED[key] = lookup(tokens, vocab)
    return _REMEMBERED[key]


def test_a_result_follows_every_argument_from_call_to_call():
    def tokens_and_vocab(gen, n, shift):
        order = ["<unk>", "кот", "дом", "лес"]
        vocab = {t: i for i, t in enumerate(order[shift:] + order[:shift])}
        return ([order[int(i)] for i in torch.randint(0, 4, (n,), generator=gen)], vocab), {}

    contract = Contract(
        name="lookup",
        inputs=tokens_and_vocab,
        sizes=[(3, 0), (3, 1), (5, 2)],
        reference=lookup,
        follows=(1,),
    )
    check_contract(lookup, contract)
    _REMEMBERED.clear()
    check_contract(lookup_remembered, replace(contract, follows=()))  # every size alone agrees
    _REMEMBERED.clear()
    with pytest.raises(ContractBroken, match="от всех аргументов"):
        check_contract(lookup_remembered, contract)
