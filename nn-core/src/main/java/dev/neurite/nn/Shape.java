package dev.neurite.nn;

/**
 * The shape of one sample: C channels of H x W. A sample is one matrix row stored channels last,
 * element (h, w, c) at column (h·W + w)·C + c; a plain feature vector of n values is (n, 1, 1),
 * so dense layers see the same row either way.
 */
public record Shape(int channels, int height, int width) {

    public Shape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("shape (" + channels + ", " + height + ", " + width + ") must be positive");
        }
        if ((long) channels * height * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape (" + channels + ", " + height + ", " + width + ") has more than "
                    + Integer.MAX_VALUE + " values");
        }
    }

    /** n features. */
    public static Shape flat(int n) {
        return new Shape(n, 1, 1);
    }

    /** An image of C channels, H x W. */
    public static Shape image(int channels, int height, int width) {
        return new Shape(channels, height, width);
    }

    /** Values a sample: C·H·W. */
    public int size() {
        return channels * height * width;
    }

    /** True for H = W = 1: a feature vector rather than an image. */
    public boolean isFlat() {
        return height == 1 && width == 1;
    }

    /** (C, H, W) for images, (n) for feature vectors. */
    @Override
    public String toString() {
        return isFlat() ? "(" + channels + ")" : "(" + channels + ", " + height + ", " + width + ")";
    }
}
