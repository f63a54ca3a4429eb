"""Hidden suite: gradient descent (one suite, both backends).

The NumPy attempt gets the gradient (`grad_fn`), the torch attempt gets the function (`loss_fn`) and
must take the gradient with autograd. Each problem below provides both.

Oracles: closed forms (x^2 from 10: 10 * 0.8^100; a quadratic: x* + (I - lr A)^k (x0 - x*) with
numpy.linalg.solve and matrix_power) and, for Rosenbrock's function, a step-by-step loop over Python
floats with the gradient worked out by hand. Known mistakes are computed by small wrong oracles.
"""

import math

import numpy as np
import pytest

from mlkata.testing import ResultMismatch, as_result, assert_close, assert_unchanged

DTYPES = ["float64", "float32"]

TOO_FEW = "one update too few (num_iterations - 1 steps)"
TOO_MANY = "one update too many (num_iterations + 1 steps)"
HARD_CODED = "the gradient is hard-coded as 2 * x (the gradient of x^2) instead of coming from the function given"
ASCENT = "the step goes up the gradient (x + lr * grad) instead of down"
NOT_ZEROED = "x.grad is never zeroed, so each step uses the sum of all gradients so far"

# A symmetric positive-definite matrix with distinct eigenvalues (about 0.6, 1.4 and 3.1) and a
# right-hand side: f(x) = 1/2 x^T A x - b^T x, grad f(x) = A x - b, minimum at x* = A^{-1} b.
A = np.array([[2.0, 0.5, 0.0], [0.5, 1.5, -0.6], [0.0, -0.6, 1.0]])
B = np.array([1.0, -2.0, 0.5])


class Problem:
    """f for the torch backend (loss_fn) and grad f for the NumPy backend (grad_fn), in the input's dtype."""

    def __init__(self, name, grad_np, loss_torch):
        self.name, self.grad_np, self.loss_torch = name, grad_np, loss_torch

    def fn_for(self, backend, dtype):
        return self.grad_np(dtype) if backend.name == "numpy" else self.loss_torch(dtype)


def _square_grad(dtype):
    return lambda x: 2 * x  # f(x) = sum(x^2)


def _square_loss(dtype):
    return lambda x: (x**2).sum()


def _quadratic_grad(dtype):
    a, b = A.astype(dtype), B.astype(dtype)
    return lambda x: a @ x - b


def _quadratic_loss(dtype):
    import torch

    a, b = torch.tensor(A, dtype=getattr(torch, dtype)), torch.tensor(B, dtype=getattr(torch, dtype))
    return lambda x: 0.5 * x @ (a @ x) - b @ x


def _rosenbrock_grad(dtype):
    def grad(x):
        u, v = x[0], x[1]
        return np.stack([-2 * (1 - u) - 400 * u * (v - u**2), 200 * (v - u**2)])

    return grad


def _rosenbrock_loss(dtype):
    return lambda x: (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


SQUARE = Problem("x^2", _square_grad, _square_loss)
QUADRATIC = Problem("quadratic", _quadratic_grad, _quadratic_loss)
ROSENBROCK = Problem("rosenbrock", _rosenbrock_grad, _rosenbrock_loss)


def run(impl, backend, problem, x0, learning_rate, num_iterations, dtype="float64"):
    start = backend.asarray(x0, dtype)
    return impl.gradient_descent(problem.fn_for(backend, dtype), start, learning_rate, num_iterations)


# -- oracles -------------------------------------------------------------------------------------
def quadratic_closed_form(x0, lr, k, sign=-1.0):
    """x_k = x* + (I + sign * lr A)^k (x0 - x*); sign=+1 is gradient ascent, which shares the fixed point."""
    x0 = np.asarray(x0, dtype=np.float64)
    x_star = np.linalg.solve(A, B)
    step = np.eye(3) + sign * lr * A
    return x_star + np.linalg.matrix_power(step, k) @ (x0 - x_star)


def rosenbrock_loop(x0, lr, k):
    """Step by step over Python floats, with the gradient of (1 - u)^2 + 100 (v - u^2)^2 by hand."""
    u, v = (float(t) for t in x0)
    for _ in range(k):
        du = -2.0 * (1.0 - u) - 400.0 * u * (v - u * u)
        dv = 200.0 * (v - u * u)
        u, v = u - lr * du, v - lr * dv
    return np.array([u, v])


def accumulated_loop(grad, x0, lr, k):
    """The mistake of never zeroing x.grad: each step uses the sum of every gradient so far."""
    x = np.asarray(x0, dtype=np.float64).copy()
    total = np.zeros_like(x)
    for _ in range(k):
        total = total + grad(x)
        x = x - lr * total
    return x


def quadratic_mistakes(x0, lr, k):
    grad = lambda x: A @ x - B  # noqa: E731
    return {
        TOO_FEW: quadratic_closed_form(x0, lr, k - 1),
        TOO_MANY: quadratic_closed_form(x0, lr, k + 1),
        HARD_CODED: np.asarray(x0) * (1 - 2 * lr) ** k,
        ASCENT: quadratic_closed_form(x0, lr, k, sign=+1.0),
        NOT_ZEROED: accumulated_loop(grad, x0, lr, k),
    }


def relatively_matching(got, backend, mistakes):
    """The mistakes whose value `got` matches to 1e-4 relative.

    assert_close names a mistake when the result is within atol >= 1e-6 of it, which every result near
    2e-9 is; for such tiny results keep only the mistakes that match relatively, so the name is right.
    """
    try:
        arr = np.asarray(backend.to_numpy(got), dtype=np.float64)
    except (TypeError, ValueError):
        return {}
    return {d: v for d, v in mistakes.items() if np.shape(v) == arr.shape and np.allclose(arr, v, rtol=1e-4, atol=0.0)}


# -- the seed example ----------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(), (1,)], ids=["scalar", "one-element-vector"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_matches_seed_example_closed_form(impl, backend, dtype, shape):
    # The seed runs f(x) = x^2 from 10 with learning rate 0.1 for 100 steps and asserts
    # pytest.approx(0, 0.01): a relative tolerance around 0 that the true answer, 2.04e-9, fails.
    # By hand: x - 0.1 * 2x = 0.8 x, so x_100 = 10 * 0.8^100 = 2.0370359763e-09.
    # A tight relative tolerance and atol=0, so that "close to 0" is not enough.
    expected = np.full(shape, 10 * 0.8**100)
    got = run(impl, backend, SQUARE, np.full(shape, 10.0), 0.1, 100, dtype)
    mistakes = {
        TOO_FEW: np.full(shape, 10 * 0.8**99),
        TOO_MANY: np.full(shape, 10 * 0.8**101),
        NOT_ZEROED: accumulated_loop(lambda x: 2 * x, np.full(shape, 10.0), 0.1, 100),
    }
    rtol = 1e-11 if dtype == "float64" else 2e-5  # 100 roundings of a factor 0.8
    mistakes = relatively_matching(got, backend, mistakes)
    assert_close(got, expected, backend, what="x after 100 steps", input_dtype=dtype, rtol=rtol, atol=0.0, mistakes=mistakes)


# -- more functions ------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_vector_quadratic_matches_closed_form(impl, backend, dtype):
    # 20 steps of 0.1 leave x well short of the minimum, so one step more or less changes the answer.
    x0 = np.array([3.0, -1.0, 2.0])
    got = run(impl, backend, QUADRATIC, x0, 0.1, 20, dtype)
    x0 = x0.astype(dtype)
    expected = quadratic_closed_form(x0, 0.1, 20)
    assert_close(got, expected, backend, what="x after 20 steps", input_dtype=dtype, mistakes=quadratic_mistakes(x0, 0.1, 20))


def test_learning_rate_is_the_one_given(impl, backend):
    x0 = np.array([-2.0, 4.0, 1.0])
    got = run(impl, backend, QUADRATIC, x0, 0.37, 7)
    assert_close(got, quadratic_closed_form(x0, 0.37, 7), backend, what="x after 7 steps of 0.37", mistakes=quadratic_mistakes(x0, 0.37, 7))


def test_single_iteration_is_one_update(impl, backend):
    # One step by hand: A x0 = [2 - 0.25, 0.5 - 0.75 - 0.6, 0.3 + 1] = [1.75, -0.85, 1.3], so
    # grad = A x0 - b = [0.75, 1.15, 0.8] and x1 = x0 - 0.2 * grad = [1 - 0.15, -0.5 - 0.23, 1 - 0.16].
    x0 = np.array([1.0, -0.5, 1.0])
    got = run(impl, backend, QUADRATIC, x0, 0.2, 1)
    mistakes = quadratic_mistakes(x0, 0.2, 1)
    del mistakes[NOT_ZEROED]  # the same as right after one step
    assert_close(got, [0.85, -0.73, 0.84], backend, what="x after one step", mistakes=mistakes)


def test_zero_iterations_return_the_starting_point(impl, backend):
    x0 = np.array([3.0, -1.0, 2.0])
    got = run(impl, backend, QUADRATIC, x0, 0.1, 0)
    assert_close(got, x0, backend, what="x after 0 steps", mistakes={TOO_MANY: quadratic_closed_form(x0, 0.1, 1)})


@pytest.mark.parametrize("dtype", DTYPES)
def test_nonlinear_function_matches_a_step_by_step_loop(impl, backend, dtype):
    # Rosenbrock's valley from the classic start (-1.2, 1): the gradient changes at every step.
    x0 = np.array([-1.2, 1.0])
    got = run(impl, backend, ROSENBROCK, x0, 1e-3, 50, dtype)
    tol = {} if dtype == "float64" else {"rtol": 1e-4, "atol": 1e-5}  # float32 roundings grow along the valley
    expected = rosenbrock_loop(x0.astype(dtype), 1e-3, 50)
    mistakes = {
        TOO_FEW: rosenbrock_loop(x0, 1e-3, 49),
        TOO_MANY: rosenbrock_loop(x0, 1e-3, 51),
    }
    assert_close(got, expected, backend, what="x after 50 steps", input_dtype=dtype, mistakes=mistakes, **tol)


def test_matrix_shaped_starting_point_keeps_its_shape(impl, backend):
    # f(X) = sum(X^2) on a (2, 3) matrix: every entry shrinks by 1 - 2 * 0.25 = 0.5 per step, 3 steps.
    x0 = np.arange(6.0).reshape(2, 3) - 2.5
    got = run(impl, backend, SQUARE, x0, 0.25, 3)
    assert_close(got, x0 * 0.5**3, backend, what="X after 3 steps")


# -- inputs, types -------------------------------------------------------------------------------
def test_starting_point_is_not_modified(impl, backend):
    x0 = np.array([3.0, -1.0, 2.0])
    start = backend.asarray(x0)
    impl.gradient_descent(QUADRATIC.fn_for(backend, "float64"), start, 0.1, 5)
    assert_unchanged(x0, start, backend, "starting_point")


@pytest.mark.parametrize("dtype", DTYPES)
def test_result_keeps_the_input_dtype(impl, backend, dtype):
    got = run(impl, backend, QUADRATIC, np.array([3.0, -1.0, 2.0]), 0.1, 5, dtype)
    as_result(got, backend, "x", dtype=dtype)


@pytest.mark.backend("torch")
def test_result_stays_on_the_input_device(impl, backend):
    import torch

    start = backend.asarray([3.0, -1.0, 2.0], "float32")
    got = impl.gradient_descent(QUADRATIC.loss_torch("float32"), start, 0.1, 5)
    as_result(got, backend, "x", dtype="float32")
    assert got.device == start.device, f"x is on {got.device}; the starting point is on {start.device}"
    if torch.cuda.is_available():
        a, b = torch.tensor(A, device="cuda"), torch.tensor(B, device="cuda")
        cuda_start = torch.tensor([3.0, -1.0, 2.0], device="cuda", dtype=torch.float64)
        out = impl.gradient_descent(lambda x: 0.5 * x @ (a @ x) - b @ x, cuda_start, 0.1, 5)
        assert out.device == cuda_start.device, f"x is on {out.device}; the starting point is on {cuda_start.device}"


@pytest.mark.backend("torch")
def test_starting_point_that_requires_grad_as_in_the_seed(impl, backend):
    # The seed's PyTorch code starts from torch.tensor([10.0], requires_grad=True).
    import torch

    start = torch.tensor([10.0], dtype=torch.float64, requires_grad=True)
    got = impl.gradient_descent(lambda x: (x**2).sum(), start, 0.1, 100)
    assert_close(got, [10 * 0.8**100], backend, what="x after 100 steps", rtol=1e-11, atol=0.0)
    assert_unchanged(np.array([10.0]), start, backend, "starting_point")
    if start.grad is not None and start.grad.abs().sum() > 0:
        raise ResultMismatch("your code left a gradient in starting_point.grad: differentiate a copy, not the caller's tensor")


@pytest.mark.backend("torch")
def test_gradient_comes_from_the_loss_function(impl, backend):
    # A loss with no closed form in the suite's hands: f(x) = sum(log(cosh(x))) + 0.1 * sum(x)^2, whose
    # gradient tanh(x) + 0.2 * sum(x) the loop below works out by hand.
    import torch

    x0 = np.array([1.5, -0.5, 0.25, 2.0])
    start = backend.asarray(x0)
    got = impl.gradient_descent(lambda x: torch.log(torch.cosh(x)).sum() + 0.1 * x.sum() ** 2, start, 0.3, 12)
    x = [float(t) for t in x0]
    for _ in range(12):
        s = sum(x)
        x = [xi - 0.3 * (math.tanh(xi) + 0.2 * s) for xi in x]
    assert_close(got, x, backend, what="x after 12 steps")
