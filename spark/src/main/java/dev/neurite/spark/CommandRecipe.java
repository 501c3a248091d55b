package dev.neurite.spark;

import dev.neurite.nn.FlagRecipe;
import dev.neurite.nn.Shape;
import java.util.Map;

/**
 * The recipe {@code neurite train}'s flags describe (--model, --net, --layers, --activation, --loss,
 * --optimizer and its hyper-parameters, --lr, --decay, --batch, --init, --dropout, --l1, --l2), read by
 * nn-core's {@link FlagRecipe} exactly as the command reads them, as a {@link Recipe} whose factory
 * captures only the serializable recipe and numbers, so it travels to the executors.
 */
final class CommandRecipe {
    private CommandRecipe() {
    }

    /** What the flags chose, with words for the banner line. */
    record Chosen(Recipe recipe, int epochs, String description) {
    }

    static Chosen from(Map<String, String> f, Shape input, int classes) {
        FlagRecipe r = FlagRecipe.parse(f);
        r.check(input, classes);
        int c = input.channels();
        int h = input.height();
        int w = input.width();
        Recipe.NetworkFactory network = (backend, seed) -> r.network(backend, new Shape(c, h, w), classes, seed);
        Recipe recipe = new Recipe(network, r.loss(), r.optimizer(), r.batch()).regularize(r.l1(), r.l2());
        return new Chosen(recipe, r.epochs(), r.description(input, classes) + " a task");
    }
}
