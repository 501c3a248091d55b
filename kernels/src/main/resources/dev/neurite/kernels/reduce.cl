/*
 * Reductions; op codes are the ordinals of dev.neurite.backend.Reduction. A run of `count`
 * elements `stride` apart reduces sequentially in one work-item; ARGMAX yields the index of
 * the first maximum within the run.
 */
#define RED_SUM 0
#define RED_MEAN 1
#define RED_MAX 2
#define RED_MIN 3
#define RED_ARGMAX 4
#define RED_SUM_OF_SQUARES 5

/* Reduces x[0], x[stride], ... (count of them); *arg receives the argmax index. */
DEVICE float reduce_run(int op, GLOBAL const float* x, int count, int stride, int* arg) {
    float acc = op == RED_MAX || op == RED_ARGMAX ? -INFINITY : op == RED_MIN ? INFINITY : 0.0f;
    int best = 0;
    for (int t = 0; t < count; t++) {
        float v = x[t * stride];
        if (op == RED_SUM || op == RED_MEAN) {
            acc += v;
        } else if (op == RED_SUM_OF_SQUARES) {
            acc += v * v;
        } else if (op == RED_MAX) {
            acc = fmax(acc, v);
        } else if (op == RED_MIN) {
            acc = fmin(acc, v);
        } else if (v > acc) {
            acc = v;
            best = t;
        }
    }
    *arg = best;
    return acc;
}

DEVICE float finish(int op, float acc, int arg, int count) {
    return op == RED_MEAN ? acc / (float) count : op == RED_ARGMAX ? (float) arg : acc;
}

/* x (rows, cols) -> out (rows, 1); one work-item a row */
KERNEL void reduce_rows(int op, int rows, int cols, GLOBAL const float* x, GLOBAL float* out) {
    int r = GLOBAL_ID(0);
    if (r < rows) {
        int arg;
        float acc = reduce_run(op, x + r * cols, cols, 1, &arg);
        out[r] = finish(op, acc, arg, cols);
    }
}

/* x (rows, cols) -> out (1, cols); one work-item a column */
KERNEL void reduce_cols(int op, int rows, int cols, GLOBAL const float* x, GLOBAL float* out) {
    int c = GLOBAL_ID(0);
    if (c < cols) {
        int arg;
        float acc = reduce_run(op, x + c, rows, cols, &arg);
        out[c] = finish(op, acc, arg, rows);
    }
}

/* x (n) -> partial value and index (parts): part g reduces x[g·chunk .. min(n, (g+1)·chunk)) */
KERNEL void reduce_partial(int op, int n, int chunk, int parts, GLOBAL const float* x,
                           GLOBAL float* part_value, GLOBAL int* part_index) {
    int g = GLOBAL_ID(0);
    if (g < parts) {
        int from = g * chunk;
        int count = min(chunk, n - from);
        int arg = 0;
        float acc = count > 0 ? reduce_run(op == RED_MEAN ? RED_SUM : op, x + from, count, 1, &arg)
                              : (op == RED_MAX || op == RED_ARGMAX ? -INFINITY : op == RED_MIN ? INFINITY : 0.0f);
        part_value[g] = acc;
        part_index[g] = from + arg;
    }
}

/* partials (parts) -> out (1, 1); a single work-item */
KERNEL void reduce_final(int op, int n, int parts, GLOBAL const float* part_value, GLOBAL const int* part_index,
                         GLOBAL float* out) {
    if (GLOBAL_ID(0) != 0) {
        return;
    }
    float acc = part_value[0];
    int arg = part_index[0];
    for (int g = 1; g < parts; g++) {
        float v = part_value[g];
        if (op == RED_MAX) {
            acc = fmax(acc, v);
        } else if (op == RED_MIN) {
            acc = fmin(acc, v);
        } else if (op == RED_ARGMAX) {
            if (v > acc) {
                acc = v;
                arg = part_index[g];
            }
        } else {
            acc += v;
        }
    }
    out[0] = finish(op, acc, arg, n);
}
