"""The one vector normaliser: rows or a single vector to unit length, zero vectors kept zero."""

from __future__ import annotations

import numpy as np

from index.vectors import unit


def test_rows_become_unit_length_float32_and_keep_their_direction() -> None:
    m = np.array([[3.0, 4.0], [0.0, 2.0]], dtype=np.float64)
    u = unit(m)
    assert u.dtype == np.float32
    np.testing.assert_allclose(u, [[0.6, 0.8], [0.0, 1.0]], rtol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(u, axis=1), [1.0, 1.0], rtol=1e-6)


def test_a_single_vector_and_plain_lists_are_accepted() -> None:
    np.testing.assert_allclose(unit([0.0, 3.0, 4.0]), [0.0, 0.6, 0.8], rtol=1e-6)
    assert unit([[1.0, 0.0]]).shape == (1, 2)


def test_zero_vectors_stay_zero_instead_of_nan() -> None:
    u = unit([[0.0, 0.0], [1.0, 1.0]])
    assert not np.isnan(u).any()
    np.testing.assert_array_equal(u[0], [0.0, 0.0])
    assert unit(np.zeros((0, 4))).shape == (0, 4)
