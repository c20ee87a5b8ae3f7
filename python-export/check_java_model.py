"""Check a SavedModel written by tf-finetune against the golden file of `bin/finetune golden`.

Loads the SavedModel with tf.saved_model.load, feeds the golden 'inputs' to its signature and
compares the result with the golden 'outputs'. Exits with status 1 when the shapes differ or any
value differs by more than the tolerance (NaN counts as a difference), and 0 otherwise.
"""

import argparse
import sys

import numpy as np
import tensorflow as tf

TOLERANCE_DEFAULT = 1e-5


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("saved_model", help="SavedModel folder written by tf-finetune")
    parser.add_argument("golden", help=".npz file written by 'bin/finetune golden'")
    parser.add_argument("--signature", default="serving_default")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE_DEFAULT)
    args = parser.parse_args()

    golden = np.load(args.golden)
    inputs, expected = golden["inputs"], golden["outputs"]
    function = tf.saved_model.load(args.saved_model).signatures[args.signature]
    input_names = list(function.structured_input_signature[1])
    if len(input_names) != 1:
        print(f"error: signature {args.signature} has inputs {input_names}; expected one")
        return 1
    results = function(**{input_names[0]: tf.constant(inputs)})
    if len(results) != 1:
        print(f"error: signature {args.signature} has outputs {list(results)}; expected one")
        return 1
    actual = next(iter(results.values())).numpy()

    if actual.shape != expected.shape:
        print(f"error: outputs have shape {actual.shape}, golden outputs {expected.shape}")
        return 1
    difference = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
    within = difference <= args.tolerance
    worst = float(np.nanmax(difference)) if np.any(~np.isnan(difference)) else float("nan")
    print(
        f"{args.saved_model}: max abs difference {worst:.3g} over {len(inputs)} examples"
        f" (tolerance {args.tolerance})"
    )
    if not np.all(within):
        bad = np.argwhere(~within)
        print(f"error: {len(bad)} values differ by more than the tolerance, first at {bad[0]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
