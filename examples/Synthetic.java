import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Writes the two synthetic tables of docs/labs.md, from a fixed seed so that every run writes
 * the same bytes: {@code java examples/Synthetic.java examples}.
 *
 * <ul>
 * <li>{@code line.csv}: 100 rows of y = 3·x1 − 2·x2 + 1 plus N(0, 0.1²) noise, x1 and x2 uniform
 *     in [0, 1): a linear regression recovers the coefficients.
 * <li>{@code bankruptcy.csv} and {@code bankruptcy-test.csv}: 1,500 and 500 firms, about 3% of
 *     them bankrupt (label 1), described by four financial ratios; the bankrupt firms' ratios are
 *     shifted by about one standard deviation, so the classes overlap and accuracy alone says
 *     little (always answering 0 is 97% right). Made up, not real firms.
 * </ul>
 */
public final class Synthetic {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        Random rnd = new Random(2024);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("line.csv")))) {
            w.print("x1,x2,y\n");
            for (int i = 0; i < 100; i++) {
                double x1 = rnd.nextDouble();
                double x2 = rnd.nextDouble();
                double y = 3 * x1 - 2 * x2 + 1 + 0.1 * rnd.nextGaussian();
                w.printf(Locale.ROOT, "%.4f,%.4f,%.4f\n", x1, x2, y);
            }
        }
        try (PrintWriter train = new PrintWriter(Files.newBufferedWriter(dir.resolve("bankruptcy.csv")));
             PrintWriter test = new PrintWriter(Files.newBufferedWriter(dir.resolve("bankruptcy-test.csv")))) {
            train.print("debt_ratio,current_ratio,return_on_assets,cash_flow_to_debt,bankrupt\n");
            test.print("debt_ratio,current_ratio,return_on_assets,cash_flow_to_debt,bankrupt\n");
            for (int i = 0; i < 2000; i++) {
                PrintWriter w = i < 1500 ? train : test;
                boolean bankrupt = rnd.nextDouble() < 0.03;
                double shift = bankrupt ? 1 : 0;
                double debt = 0.45 + 0.15 * (rnd.nextGaussian() + 1.2 * shift);
                double current = 1.6 + 0.5 * (rnd.nextGaussian() - shift);
                double roa = 0.06 + 0.05 * (rnd.nextGaussian() - 1.3 * shift);
                double cash = 0.25 + 0.12 * (rnd.nextGaussian() - shift);
                w.printf(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%d\n", debt, current, roa, cash, bankrupt ? 1 : 0);
            }
        }
    }
}
