package dev.neurite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Without the spark module on the class path (as in cli's own tests), train --spark says how to get it. */
class SparkDelegationTest {
    @Test
    void trainWithSparkButNoSparkModuleSaysWhatIsMissingAndHowToGetIt() {
        for (String flag : new String[] {"--spark", "--spark=local[2]"}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String[] args = flag.contains("=") ? new String[] {"train", flag} : new String[] {"train", flag, "local[2]"};
            int code = Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
            String message = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, code, message);
            assertTrue(message.contains("needs the neurite-spark module and Spark on the class path")
                    && message.contains("dev.neurite.spark.SparkTrainCommand") && message.contains("./neurite launcher"), message);
        }
    }
}
