package org.tffinetune.keras;

/**
 * Plain-Java reference implementations of the layers in the fixture CNNs, in double precision, for
 * checking TensorFlow results independently. Images are [height][width][channels], kernels HWIO
 * [kh][kw][in][out] and dense kernels [in][out], as Keras stores them.
 */
final class PlainForward {
  private PlainForward() {}

  /** Valid-padding, stride-1 convolution with bias, followed by ReLU. */
  static double[][][] conv2dRelu(double[][][] x, float[][][][] kernel, float[] bias) {
    int kh = kernel.length;
    int kw = kernel[0].length;
    int in = kernel[0][0].length;
    int out = bias.length;
    int height = x.length - kh + 1;
    int width = x[0].length - kw + 1;
    double[][][] y = new double[height][width][out];
    for (int i = 0; i < height; i++) {
      for (int j = 0; j < width; j++) {
        for (int f = 0; f < out; f++) {
          double sum = bias[f];
          for (int di = 0; di < kh; di++) {
            for (int dj = 0; dj < kw; dj++) {
              for (int c = 0; c < in; c++) {
                sum += x[i + di][j + dj][c] * kernel[di][dj][c][f];
              }
            }
          }
          y[i][j][f] = Math.max(0, sum);
        }
      }
    }
    return y;
  }

  /** 2x2 max pooling with stride 2 and valid padding. */
  static double[][][] maxPool2(double[][][] x) {
    int height = x.length / 2;
    int width = x[0].length / 2;
    int channels = x[0][0].length;
    double[][][] y = new double[height][width][channels];
    for (int i = 0; i < height; i++) {
      for (int j = 0; j < width; j++) {
        for (int c = 0; c < channels; c++) {
          y[i][j][c] =
              Math.max(
                  Math.max(x[2 * i][2 * j][c], x[2 * i][2 * j + 1][c]),
                  Math.max(x[2 * i + 1][2 * j][c], x[2 * i + 1][2 * j + 1][c]));
        }
      }
    }
    return y;
  }

  /** Flattens in row-major (height, width, channel) order, as Keras's Flatten does for NHWC. */
  static double[] flatten(double[][][] x) {
    int channels = x[0][0].length;
    double[] y = new double[x.length * x[0].length * channels];
    int next = 0;
    for (double[][] row : x) {
      for (double[] pixel : row) {
        for (int c = 0; c < channels; c++) {
          y[next++] = pixel[c];
        }
      }
    }
    return y;
  }

  /** Dense layer {@code x . kernel + bias}, with ReLU when {@code relu} is true. */
  static double[] dense(double[] x, float[][] kernel, float[] bias, boolean relu) {
    double[] y = new double[bias.length];
    for (int o = 0; o < y.length; o++) {
      double sum = bias[o];
      for (int i = 0; i < x.length; i++) {
        sum += x[i] * kernel[i][o];
      }
      y[o] = relu ? Math.max(0, sum) : sum;
    }
    return y;
  }

  /** Softmax over a vector. */
  static double[] softmax(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.exp(x[i] - max);
      sum += y[i];
    }
    for (int i = 0; i < x.length; i++) {
      y[i] /= sum;
    }
    return y;
  }

  /** Returns image {@code index} of NHWC float data as [28][28][1]. */
  static double[][][] image(float[] images, int index) {
    double[][][] x = new double[28][28][1];
    for (int i = 0; i < 28; i++) {
      for (int j = 0; j < 28; j++) {
        x[i][j][0] = images[index * 784 + i * 28 + j];
      }
    }
    return x;
  }
}
