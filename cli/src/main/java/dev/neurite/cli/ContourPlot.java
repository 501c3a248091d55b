package dev.neurite.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * A filled contour plot of z over a grid, drawn with Java2D (the chart library has no contours):
 * the grid interpolated bilinearly to pixels, cut into bands at evenly spaced levels (of log z
 * when z spans more than two decades, as losses do), each band a colour from dark blue (low) to
 * yellow (high), band edges drawn as lines, with axes and a colour bar.
 */
final class ContourPlot {
    private static final int PLOT = 480;
    private static final int LEFT = 70;
    private static final int TOP = 50;
    private static final int BAR = 24;
    private static final int LEVELS = 14;
    private static final int[][] PALETTE = {
        {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};

    private ContourPlot() {
    }

    /**
     * z[row][col] over x (cols) and y (rows), both ascending.
     *
     * @param title  over the plot
     * @param xLabel under the x axis
     * @param yLabel beside the y axis
     */
    static BufferedImage draw(double[][] z, double[] x, double[] y, String title, String xLabel, String yLabel) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : z) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        boolean log = lo > 0 && hi / lo > 100;
        double from = log ? Math.log10(lo) : lo;
        double to = log ? Math.log10(hi) : hi;
        int width = LEFT + PLOT + 40 + BAR + 80;
        int height = TOP + PLOT + 60;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int[][] band = new int[PLOT][PLOT];
        for (int py = 0; py < PLOT; py++) {
            for (int px = 0; px < PLOT; px++) {
                double v = sample(z, (double) px / (PLOT - 1) * (x.length - 1), (double) (PLOT - 1 - py) / (PLOT - 1)
                        * (y.length - 1));
                band[py][px] = level(log ? Math.log10(Math.max(v, lo)) : v, from, to);
                img.setRGB(LEFT + px, TOP + py, colour((band[py][px] + 0.5) / LEVELS).getRGB());
            }
        }
        int edge = new Color(30, 30, 30).getRGB();
        for (int py = 0; py < PLOT - 1; py++) {
            for (int px = 0; px < PLOT - 1; px++) {
                if (band[py][px] != band[py][px + 1] || band[py][px] != band[py + 1][px]) {
                    img.setRGB(LEFT + px, TOP + py, edge);
                }
            }
        }
        axes(g, x, y, title, xLabel, yLabel);
        colourBar(g, from, to, log);
        g.dispose();
        return img;
    }

    /** z at fractional grid position (gx along a row, gy down the rows), bilinear. */
    private static double sample(double[][] z, double gx, double gy) {
        int x0 = Math.min((int) gx, z[0].length - 2);
        int y0 = Math.min((int) gy, z.length - 2);
        double fx = gx - x0;
        double fy = gy - y0;
        double top = z[y0][x0] * (1 - fx) + z[y0][x0 + 1] * fx;
        double bottom = z[y0 + 1][x0] * (1 - fx) + z[y0 + 1][x0 + 1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    private static int level(double v, double from, double to) {
        if (!Double.isFinite(v) || to == from) {
            return Double.isFinite(v) ? 0 : LEVELS - 1;
        }
        return Math.max(0, Math.min(LEVELS - 1, (int) ((v - from) / (to - from) * LEVELS)));
    }

    /** The palette at t in [0, 1], from dark blue through teal and green to yellow. */
    private static Color colour(double t) {
        double s = Math.max(0, Math.min(1, t)) * (PALETTE.length - 1);
        int i = Math.min((int) s, PALETTE.length - 2);
        double f = s - i;
        int[] a = PALETTE[i];
        int[] b = PALETTE[i + 1];
        return new Color((int) (a[0] + f * (b[0] - a[0])), (int) (a[1] + f * (b[1] - a[1])), (int) (a[2] + f * (b[2] - a[2])));
    }

    private static void axes(Graphics2D g, double[] x, double[] y, String title, String xLabel, String yLabel) {
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(LEFT, TOP, PLOT - 1, PLOT - 1);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, LEFT + (PLOT - fm.stringWidth(title)) / 2, TOP - 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        fm = g.getFontMetrics();
        for (int i = 0; i <= 4; i++) {
            double xv = x[0] + (x[x.length - 1] - x[0]) * i / 4;
            double yv = y[0] + (y[y.length - 1] - y[0]) * i / 4;
            int px = LEFT + (PLOT - 1) * i / 4;
            int py = TOP + PLOT - 1 - (PLOT - 1) * i / 4;
            String xs = String.format(Locale.ROOT, "%.2f", xv);
            String ys = String.format(Locale.ROOT, "%.2f", yv);
            g.drawLine(px, TOP + PLOT, px, TOP + PLOT + 5);
            g.drawString(xs, px - fm.stringWidth(xs) / 2, TOP + PLOT + 20);
            g.drawLine(LEFT - 5, py, LEFT, py);
            g.drawString(ys, LEFT - 8 - fm.stringWidth(ys), py + 4);
        }
        g.drawString(xLabel, LEFT + (PLOT - fm.stringWidth(xLabel)) / 2, TOP + PLOT + 42);
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2);
        r.drawString(yLabel, -(TOP + (PLOT + fm.stringWidth(yLabel)) / 2), 18);
        r.dispose();
    }

    private static void colourBar(Graphics2D g, double from, double to, boolean log) {
        int x = LEFT + PLOT + 40;
        for (int i = 0; i < PLOT; i++) {
            int band = level(from + (to - from) * (PLOT - 1 - i) / (PLOT - 1), from, to);
            g.setColor(colour((band + 0.5) / LEVELS));
            g.drawLine(x, TOP + i, x + BAR, TOP + i);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x, TOP, BAR, PLOT - 1);
        for (int i = 0; i <= 4; i++) {
            double v = from + (to - from) * i / 4;
            int py = TOP + PLOT - 1 - (PLOT - 1) * i / 4;
            g.drawString(String.format(Locale.ROOT, "%.3g", log ? Math.pow(10, v) : v), x + BAR + 6, py + 4);
        }
        g.drawString("loss" + (log ? " (log)" : ""), x, TOP - 6);
    }
}
