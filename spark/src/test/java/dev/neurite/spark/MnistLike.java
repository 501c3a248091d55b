package dev.neurite.spark;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Small MNIST-shaped IDX files (28x28, 10 classes) whose class shows in the pixels, so training learns something. */
final class MnistLike {
    private MnistLike() {
    }

    static Path write(Path dir, int train, int test) throws IOException {
        write(dir, "train", train, 1);
        write(dir, "t10k", test, 2);
        return dir;
    }

    private static void write(Path dir, String prefix, int n, long seed) throws IOException {
        Random rnd = new Random(seed);
        try (DataOutputStream im = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte")));
             DataOutputStream lb = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte")))) {
            im.writeInt(0x803);
            im.writeInt(n);
            im.writeInt(28);
            im.writeInt(28);
            lb.writeInt(0x801);
            lb.writeInt(n);
            for (int i = 0; i < n; i++) {
                int label = rnd.nextInt(10);
                for (int p = 0; p < 784; p++) {
                    boolean bar = p / 28 >= label * 2 + 3 && p / 28 < label * 2 + 6;
                    im.writeByte(Math.min(255, (bar ? 180 : 0) + rnd.nextInt(60)));
                }
                lb.writeByte(label);
            }
        }
    }
}
