/*
 * Element-wise ops on n floats, one work-item an element (global size rounded up; the extra
 * work-items return). Activation kinds are the ordinals of dev.neurite.backend.Activation.Kind.
 */
#define ACT_IDENTITY 0
#define ACT_BINARY_STEP 1
#define ACT_SIGMOID 2
#define ACT_TANH 3
#define ACT_RELU 4
#define ACT_LEAKY_RELU 5
#define ACT_ELU 6
#define ACT_SELU 7
#define ACT_GELU 8
#define ACT_SOFTPLUS 9
#define ACT_SOFTMAX 10

#define SELU_LAMBDA 1.0507009873554805f
#define SELU_ALPHA 1.6732632423543772f
#define GELU_C 0.7978845608028654f
#define GELU_CUBIC 0.044715f

DEVICE float sigmoid_of(float x) {
    return 1.0f / (1.0f + exp(-x));
}

/* u = √(2/π) (x + 0.044715 x³); GELU(x) = ½x(1 + tanh u) = x·σ(2u). */
DEVICE float gelu_inner(float x) {
    return GELU_C * (x + GELU_CUBIC * x * x * x);
}

/* y = f(x) */
DEVICE float activate(int kind, float p, float x) {
    switch (kind) {
        case ACT_BINARY_STEP: return x >= 0.0f ? 1.0f : 0.0f;
        case ACT_SIGMOID: return sigmoid_of(x);
        case ACT_TANH: return tanh(x);
        case ACT_RELU: return fmax(x, 0.0f);
        case ACT_LEAKY_RELU: return x > 0.0f ? x : p * x;
        case ACT_ELU: return x > 0.0f ? x : p * expm1(x);
        case ACT_SELU: return SELU_LAMBDA * (x > 0.0f ? x : SELU_ALPHA * expm1(x));
        case ACT_GELU: return x * sigmoid_of(2.0f * gelu_inner(x));
        case ACT_SOFTPLUS: return fmax(x, 0.0f) + log1p(exp(-fabs(x)));
        default: return x;
    }
}

/* dx = f'(x) · dy, given y = f(x) */
DEVICE float derive(int kind, float p, float x, float y, float dy) {
    switch (kind) {
        case ACT_BINARY_STEP: return 0.0f;
        case ACT_SIGMOID: return y * (1.0f - y) * dy;
        case ACT_TANH: return (1.0f - y * y) * dy;
        case ACT_RELU: return x > 0.0f ? dy : 0.0f;
        case ACT_LEAKY_RELU: return x > 0.0f ? dy : p * dy;
        case ACT_ELU: return x > 0.0f ? dy : (y + p) * dy;
        case ACT_SELU: return (x > 0.0f ? SELU_LAMBDA : y + SELU_LAMBDA * SELU_ALPHA) * dy;
        case ACT_GELU: {
            float s = sigmoid_of(2.0f * gelu_inner(x));
            float du = GELU_C * (1.0f + 3.0f * GELU_CUBIC * x * x);
            return s * (1.0f + 2.0f * x * du * (1.0f - s)) * dy;
        }
        case ACT_SOFTPLUS: return sigmoid_of(x) * dy;
        default: return dy;
    }
}

/* x (n) -> y (n) */
KERNEL void activation_forward(int kind, float p, int n, GLOBAL const float* x, GLOBAL float* y) {
    int i = GLOBAL_ID(0);
    if (i < n) {
        y[i] = activate(kind, p, x[i]);
    }
}

/* x, y, dy (n) -> dx (n) */
KERNEL void activation_backward(int kind, float p, int n, GLOBAL const float* x, GLOBAL const float* y,
                                GLOBAL const float* dy, GLOBAL float* dx) {
    int i = GLOBAL_ID(0);
    if (i < n) {
        dx[i] = derive(kind, p, x[i], y[i], dy[i]);
    }
}

/* x (rows, cols) -> y (rows, cols), softmax of each row; one work-item a row */
KERNEL void softmax_forward(int rows, int cols, GLOBAL const float* x, GLOBAL float* y) {
    int r = GLOBAL_ID(0);
    if (r >= rows) {
        return;
    }
    GLOBAL const float* xr = x + r * cols;
    GLOBAL float* yr = y + r * cols;
    float max = -INFINITY;
    for (int j = 0; j < cols; j++) {
        max = fmax(max, xr[j]);
    }
    float sum = 0.0f;
    for (int j = 0; j < cols; j++) {
        float e = exp(xr[j] - max);
        yr[j] = e;
        sum += e;
    }
    float inv = 1.0f / sum;
    for (int j = 0; j < cols; j++) {
        yr[j] *= inv;
    }
}

/* y, dy (rows, cols) -> dx (rows, cols): dx = y ⊙ (dy - Σ_row dy ⊙ y); one work-item a row */
KERNEL void softmax_backward(int rows, int cols, GLOBAL const float* y, GLOBAL const float* dy, GLOBAL float* dx) {
    int r = GLOBAL_ID(0);
    if (r >= rows) {
        return;
    }
    int base = r * cols;
    float dot = 0.0f;
    for (int j = 0; j < cols; j++) {
        dot += dy[base + j] * y[base + j];
    }
    for (int j = 0; j < cols; j++) {
        dx[base + j] = y[base + j] * (dy[base + j] - dot);
    }
}

#define BIN_ADD 0
#define BIN_SUBTRACT 1
#define BIN_MULTIPLY 2

/* a, b (n) -> out (n) */
KERNEL void binary(int op, int n, GLOBAL const float* a, GLOBAL const float* b, GLOBAL float* out) {
    int i = GLOBAL_ID(0);
    if (i < n) {
        float u = a[i];
        float v = b[i];
        out[i] = op == BIN_ADD ? u + v : op == BIN_SUBTRACT ? u - v : u * v;
    }
}

/* x (n) -> out (n) = alpha · x */
KERNEL void scale(int n, float alpha, GLOBAL const float* x, GLOBAL float* out) {
    int i = GLOBAL_ID(0);
    if (i < n) {
        out[i] = alpha * x[i];
    }
}

/* x, y (n): y = alpha · x + y */
KERNEL void axpy(int n, float alpha, GLOBAL const float* x, GLOBAL float* y) {
    int i = GLOBAL_ID(0);
    if (i < n) {
        y[i] = fma(alpha, x[i], y[i]);
    }
}

/*
 * x (n) -> out (n) = sign(x): ±1, or x itself for ±0 and NaN, as Java's Math.signum (named so because
 * OpenCL C has a sign() of its own)
 */
KERNEL void signum(int n, GLOBAL const float* x, GLOBAL float* out) {
    int i = GLOBAL_ID(0);
    if (i < n) {
        float v = x[i];
        out[i] = v > 0.0f ? 1.0f : v < 0.0f ? -1.0f : v;
    }
}

/* x (n) -> out (n) = 1 / √(x + eps): a batch-norm inverse standard deviation from a variance */
KERNEL void inverse_sqrt(int n, float eps, GLOBAL const float* x, GLOBAL float* out) {
    int i = GLOBAL_ID(0);
    if (i < n) {
        out[i] = 1.0f / sqrt(x[i] + eps);
    }
}

/* x (rows, cols), v (1, cols) -> out (rows, cols) = x op v broadcast down the rows (op: BIN_ADD or BIN_MULTIPLY) */
KERNEL void row_vector(int op, int rows, int cols, GLOBAL const float* x, GLOBAL const float* v, GLOBAL float* out) {
    int i = GLOBAL_ID(0);
    if (i < rows * cols) {
        float b = v[i % cols];
        out[i] = op == BIN_ADD ? x[i] + b : x[i] * b;
    }
}

/* murmur3's 32-bit finalizer: a bijection that mixes every input bit into every output bit */
DEVICE unsigned int mix32(unsigned int h) {
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

/* out (n): out_i = u_i < p ? value : 0, u_i = top 24 bits of hash(seed, i) / 2^24 in [0, 1) */
KERNEL void bernoulli(int n, float p, float value, int seed_lo, int seed_hi, GLOBAL float* out) {
    int i = GLOBAL_ID(0);
    if (i < n) {
        unsigned int h = mix32((unsigned int) i * 0x9e3779b9u + (unsigned int) seed_lo);
        h = mix32(h ^ (unsigned int) seed_hi);
        float u = (float) (h >> 8) * 5.9604644775390625e-8f;
        out[i] = u < p ? value : 0.0f;
    }
}

/* x (n) = value */
KERNEL void fill(int n, float value, GLOBAL float* x) {
    int i = GLOBAL_ID(0);
    if (i < n) {
        x[i] = value;
    }
}

#define UPD_MOMENTUM 0
#define UPD_NESTEROV 1
#define UPD_ADAGRAD 2
#define UPD_ADADELTA 3
#define UPD_RMSPROP 4
#define UPD_ADAM 5
#define UPD_ADAMAX 6
#define UPD_NADAM 7
#define UPD_AMSGRAD 8

/*
 * One fused optimizer step; kinds are the ordinals of dev.neurite.backend.Update.Kind and the
 * formulas are those of its constants. theta, g, s1, s2, s3 (n); c1 = 1 - b1^t, c2 = 1 - b2^t.
 */
KERNEL void optimizer_update(int kind, int n, float lr, float b1, float b2, float eps, float c1, float c2,
                             GLOBAL float* theta, GLOBAL const float* grad, GLOBAL float* s1, GLOBAL float* s2,
                             GLOBAL float* s3) {
    int i = GLOBAL_ID(0);
    if (i >= n) {
        return;
    }
    float g = grad[i];
    switch (kind) {
        case UPD_MOMENTUM: {
            float v = b1 * s1[i] - lr * g;
            s1[i] = v;
            theta[i] += v;
            break;
        }
        case UPD_NESTEROV: {
            float v0 = s1[i];
            float v = b1 * v0 - lr * g;
            s1[i] = v;
            theta[i] += -b1 * v0 + (1.0f + b1) * v;
            break;
        }
        case UPD_ADAGRAD: {
            float acc = s1[i] + g * g;
            s1[i] = acc;
            theta[i] -= lr * g / (sqrt(acc) + eps);
            break;
        }
        case UPD_ADADELTA: {
            float eg = b1 * s1[i] + (1.0f - b1) * g * g;
            float d = -sqrt(s2[i] + eps) / sqrt(eg + eps) * g;
            s1[i] = eg;
            s2[i] = b1 * s2[i] + (1.0f - b1) * d * d;
            theta[i] += lr * d;
            break;
        }
        case UPD_RMSPROP: {
            float eg = b1 * s1[i] + (1.0f - b1) * g * g;
            s1[i] = eg;
            theta[i] -= lr * g / (sqrt(eg) + eps);
            break;
        }
        case UPD_ADAMAX: {
            float m = b1 * s1[i] + (1.0f - b1) * g;
            float u = fmax(b2 * s2[i], fabs(g));
            s1[i] = m;
            s2[i] = u;
            theta[i] -= lr * (m / c1) / (u + eps);
            break;
        }
        default: { /* ADAM, NADAM, AMSGRAD */
            float m = b1 * s1[i] + (1.0f - b1) * g;
            float v = b2 * s2[i] + (1.0f - b2) * g * g;
            s1[i] = m;
            s2[i] = v;
            if (kind == UPD_AMSGRAD) {
                v = fmax(s3[i], v);
                s3[i] = v;
            }
            float num = kind == UPD_NADAM ? b1 * m / c1 + (1.0f - b1) * g / c1 : m / c1;
            theta[i] -= lr * num / (sqrt(v / c2) + eps);
            break;
        }
    }
}
