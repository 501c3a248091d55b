package dev.neurite.backend;

/**
 * A 2-D sliding window over images stored one a matrix row, channels last: row n holds image n
 * as (H, W, C), element (h, w, c) at column (h·W + w)·C + c. Used by {@link Backend#im2col},
 * {@link Backend#col2im} and pooling. Padding adds {@code padding} zero rows and columns on every
 * side; the output is ((H + 2P − KH) / S + 1) x ((W + 2P − KW) / S + 1), rounded down.
 *
 * @param channels     C
 * @param height       H
 * @param width        W
 * @param kernelHeight KH
 * @param kernelWidth  KW
 * @param stride       S, both directions
 * @param padding      P, both directions
 */
public record Window(int channels, int height, int width, int kernelHeight, int kernelWidth, int stride,
                     int padding) {

    /** Checks the sizes are positive and the kernel fits the padded image. */
    public Window {
        if (channels < 1 || height < 1 || width < 1 || kernelHeight < 1 || kernelWidth < 1 || stride < 1
                || padding < 0) {
            throw new IllegalArgumentException("window: " + describe(channels, height, width, kernelHeight,
                    kernelWidth, stride, padding) + " needs positive sizes and stride, padding >= 0");
        }
        if (padding >= kernelHeight || padding >= kernelWidth) {
            throw new IllegalArgumentException("window: padding " + padding + " must be smaller than the kernel "
                    + kernelHeight + "x" + kernelWidth);
        }
        if (height + 2 * padding < kernelHeight || width + 2 * padding < kernelWidth) {
            throw new IllegalArgumentException("window: kernel " + kernelHeight + "x" + kernelWidth
                    + " is larger than the padded image " + (height + 2 * padding) + "x" + (width + 2 * padding));
        }
    }

    /** A square kernel of {@code k}. */
    public static Window square(int channels, int height, int width, int k, int stride, int padding) {
        return new Window(channels, height, width, k, k, stride, padding);
    }

    /** Output height: (H + 2P - KH) / S + 1. */
    public int outHeight() {
        return (height + 2 * padding - kernelHeight) / stride + 1;
    }

    /** Output width: (W + 2P - KW) / S + 1. */
    public int outWidth() {
        return (width + 2 * padding - kernelWidth) / stride + 1;
    }

    /** Columns of one image: H·W·C. */
    public int imageSize() {
        return height * width * channels;
    }

    /** Columns of one im2col row: KH·KW·C. */
    public int patchSize() {
        return kernelHeight * kernelWidth * channels;
    }

    /** Output positions of one image: OH·OW. */
    public int positions() {
        return outHeight() * outWidth();
    }

    @Override
    public String toString() {
        return describe(channels, height, width, kernelHeight, kernelWidth, stride, padding);
    }

    private static String describe(int c, int h, int w, int kh, int kw, int s, int p) {
        return "image " + h + "x" + w + "x" + c + ", kernel " + kh + "x" + kw + ", stride " + s + ", padding " + p;
    }
}
