using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Linq;
using static TorchSharp.torch;

namespace SlimGen
{
    /// <summary>The input check at the start of a generated model's <c>forward</c>.</summary>
    public static class ShapeGuard
    {
        /// <summary>Checks that <paramref name="input"/> is a batch of examples of shape <paramref name="perExampleShape"/>.</summary>
        /// <param name="input">The model's input, <c>[N, ...perExampleShape]</c> for any batch size N.</param>
        /// <param name="perExampleShape">The declared shape of one example, e.g. <c>[3, 224, 224]</c>.</param>
        /// <param name="modelName">The model's name, for the message.</param>
        /// <exception cref="ShapeMismatchException">The shape differs; the exception carries both shapes.</exception>
        [EditorBrowsable(EditorBrowsableState.Never)] // called by generated code only
        public static void CheckInput(Tensor input, long[] perExampleShape, string modelName)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(perExampleShape);

            var actual = input.shape; // metadata only: no kernel runs
            if (actual.Length == perExampleShape.Length + 1 && actual.AsSpan(1).SequenceEqual(perExampleShape))
                return;

            throw new ShapeMismatchException(modelName, [-1, .. perExampleShape], actual);
        }

        /// <summary>Writes a shape as <c>[N, 3, 224, 224]</c>: <c>-1</c> (any size) is written N.</summary>
        internal static string Format(IEnumerable<long> shape) =>
            "[" + string.Join(", ", shape.Select(d => d == -1 ? "N" : d.ToString(CultureInfo.InvariantCulture))) + "]";
    }
}
