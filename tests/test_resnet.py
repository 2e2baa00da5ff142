import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from ganlib.models import resnet


@pytest.mark.parametrize(
    "size,kernel,strides", [(1, 3, 1), (2, 3, 1), (3, 3, 2), (4, 3, 2), (4, 1, 2), (5, 3, 2)]
)
def test_patch_conv_is_conv2d_in_value_and_gradients(size, kernel, strides):
    x = tf.constant(np.random.default_rng(0).normal(size=(3, size, size, 5)), tf.float32)
    plain = layers.Conv2D(7, kernel, strides=strides, padding="same", use_bias=False)
    patch = resnet.PatchConv2D(7, kernel, strides=strides, padding="same", use_bias=False)
    plain.build(x.shape)
    patch.build(x.shape)
    patch.set_weights(plain.get_weights())
    results = []
    for layer in (plain, patch):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x)
            loss = tf.reduce_sum(y * tf.cos(y))
        results.append((y, *tape.gradient(loss, [x, layer.kernel])))
    assert results[0][0].shape == results[1][0].shape
    for a, b in zip(*results):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-5)


def test_resnet18_uses_patch_convolutions_only_on_small_maps_and_saves(tmp_path):
    model = resnet.resnet18((32, 32, 3), 10, stem="imagenet")
    patched = [layer for layer in model.layers if isinstance(layer, resnet.PatchConv2D)]
    assert patched and all(max(layer.input.shape[1:3]) <= resnet.SMALL_MAP for layer in patched)
    plain = [layer for layer in model.layers if type(layer) is layers.Conv2D]
    assert all(max(layer.input.shape[1:3]) > resnet.SMALL_MAP for layer in plain)
    path = tmp_path / "resnet.keras"
    model.save(path)
    images = np.random.default_rng(1).uniform(-1, 1, (2, 32, 32, 3)).astype("float32")
    np.testing.assert_allclose(keras.saving.load_model(path)(images), model(images), atol=1e-5)


def test_patch_conv_leaves_what_it_does_not_compute_to_conv2d():
    x = tf.constant(np.random.default_rng(2).normal(size=(2, 4, 4, 4)), tf.float32)
    for options in (dict(padding="valid"), dict(padding="same", dilation_rate=2)):
        plain = layers.Conv2D(3, 3, use_bias=False, **options)
        patch = resnet.PatchConv2D(3, 3, use_bias=False, **options)
        plain.build(x.shape)
        patch.build(x.shape)
        patch.set_weights(plain.get_weights())
        np.testing.assert_allclose(patch(x).numpy(), plain(x).numpy(), rtol=1e-5, atol=1e-5)
