"""Train the Keras MNIST transfer-learning notebook's model on digits 5-9 and export it.

Writes into the output folder:
  notebook_5_9.keras       Keras 3 archive (config.json, metadata.json, model.weights.h5)
  notebook_5_9_export/     SavedModel written by model.export(), signature serving_default
  golden_5_9.npz           float32 arrays 'inputs' [100, 28, 28, 1] (the first 100 MNIST test
                           images, pixel / 255) and 'outputs' [100, 5] (the model's softmax)

The network follows the notebook: Conv2D(32, 3) relu, Conv2D(32, 3) relu, MaxPooling2D(2),
Dropout(0.25), Flatten, Dense(128) relu, Dropout(0.5), Dense(5) softmax. Each activation is its
own Activation layer, as in the notebook. Training also follows it: Adadelta at Keras 3's default
learning rate (0.001), batch 128, 5 epochs, digits 5-9 relabelled 0-4.
"""

import argparse
import os
import pathlib

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402  (the backend must be chosen before the import)
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

DIGITS = (5, 6, 7, 8, 9)
GOLDEN_IMAGES = 100


def build_model(num_classes):
    """Return the notebook's Sequential network for 28x28x1 images."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, 3),
            layers.Activation("relu"),
            layers.Conv2D(32, 3),
            layers.Activation("relu"),
            layers.MaxPooling2D(2),
            layers.Dropout(0.25),
            layers.Flatten(),
            layers.Dense(128),
            layers.Activation("relu"),
            layers.Dropout(0.5),
            layers.Dense(num_classes),
            layers.Activation("softmax"),
        ],
        name="notebook",
    )


def to_float_images(images):
    """Return uint8 [n, 28, 28] images as float32 [n, 28, 28, 1] in [0, 1]."""
    return images.reshape(-1, 28, 28, 1).astype("float32") / 255


def select_digits(images, labels, digits):
    """Keep the given digits, relabelled 0..k-1 in ascending order, with one-hot labels."""
    mask = np.isin(labels, digits)
    classes = np.searchsorted(np.array(digits), labels[mask])
    return to_float_images(images[mask]), keras.utils.to_categorical(classes, len(digits))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=pathlib.Path, default=pathlib.Path("exported"))
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    keras.utils.set_random_seed(args.seed)
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    train = select_digits(x_train, y_train, DIGITS)
    test = select_digits(x_test, y_test, DIGITS)

    model = build_model(len(DIGITS))
    model.compile(loss="categorical_crossentropy", optimizer="adadelta", metrics=["accuracy"])
    model.fit(*train, batch_size=args.batch_size, epochs=args.epochs, validation_data=test)
    loss, accuracy = model.evaluate(*test, verbose=0)
    print(f"Test loss {loss:.4f}, test accuracy {accuracy:.4f} on digits 5-9")

    args.output.mkdir(parents=True, exist_ok=True)
    model.save(args.output / "notebook_5_9.keras")
    model.export(str(args.output / "notebook_5_9_export"))
    inputs = to_float_images(x_test[:GOLDEN_IMAGES])
    outputs = model.predict(inputs, verbose=0).astype("float32")
    np.savez(args.output / "golden_5_9.npz", inputs=inputs, outputs=outputs)
    print(f"Wrote the archive, the SavedModel and golden outputs to {args.output}")


if __name__ == "__main__":
    main()
