package dev.neurite.backend.opencl;

/** Counts host↔device copies and the floats they move. */
public final class OpenClTransfers {
    private long uploads;
    private long uploadedFloats;
    private long downloads;
    private long downloadedFloats;

    void uploaded(int floats) {
        uploads++;
        uploadedFloats += floats;
    }

    void downloaded(int floats) {
        downloads++;
        downloadedFloats += floats;
    }

    public long uploads() {
        return uploads;
    }

    public long uploadedFloats() {
        return uploadedFloats;
    }

    public long downloads() {
        return downloads;
    }

    public long downloadedFloats() {
        return downloadedFloats;
    }

    @Override
    public String toString() {
        return uploads + " uploads (" + uploadedFloats + " floats), " + downloads + " downloads (" + downloadedFloats
                + " floats)";
    }
}
