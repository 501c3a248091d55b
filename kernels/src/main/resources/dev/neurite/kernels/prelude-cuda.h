/* CUDA C dialect of the portable kernel subset: dimension d is 0 (x) or 1 (y). */
#define KERNEL extern "C" __global__
#define DEVICE __device__ inline
#define GLOBAL
#define LOCAL __shared__
#define BARRIER() __syncthreads()
#define GLOBAL_ID(d) ((int) ((d) == 0 ? blockIdx.x * blockDim.x + threadIdx.x : blockIdx.y * blockDim.y + threadIdx.y))
#define LOCAL_ID(d) ((int) ((d) == 0 ? threadIdx.x : threadIdx.y))
#define GROUP_ID(d) ((int) ((d) == 0 ? blockIdx.x : blockIdx.y))
/* NVRTC compiles without the standard headers. */
#ifndef INFINITY
#define INFINITY __int_as_float(0x7f800000)
#endif
