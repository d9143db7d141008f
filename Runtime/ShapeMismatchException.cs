using System;
using System.Linq;

namespace SlimGen
{
    /// <summary>
    /// Thrown by a generated model's <c>forward</c> when its input does not have the shape the model was declared
    /// for; raised before any native call, so the message names the model and both shapes.
    /// </summary>
    public sealed class ShapeMismatchException : Exception
    {
        /// <summary>Creates the exception and its message.</summary>
        /// <param name="modelName">The model that rejected the input.</param>
        /// <param name="expected">The accepted shape; <c>-1</c> marks a dimension of any size (the batch).</param>
        /// <param name="actual">The shape that was passed.</param>
        public ShapeMismatchException(string modelName, long[] expected, long[] actual)
            : base(Describe(modelName, expected, actual))
        {
            ModelName = modelName;
            Expected = expected;
            Actual = actual;
        }

        /// <summary>The model that rejected the input.</summary>
        public string ModelName { get; }

        /// <summary>The accepted shape; <c>-1</c> marks a dimension of any size (the batch).</summary>
        public long[] Expected { get; }

        /// <summary>The shape that was passed.</summary>
        public long[] Actual { get; }

        private static string Describe(string modelName, long[] expected, long[] actual)
        {
            var message = $"{modelName} expects input of shape {ShapeGuard.Format(expected)} but got {ShapeGuard.Format(actual)}.";
            var batchMissing = expected.Length == actual.Length + 1 && expected[0] == -1 && expected.Skip(1).SequenceEqual(actual);
            return batchMissing
                ? message + " The batch dimension seems to be missing: for a single example pass input.unsqueeze(0)."
                : message;
        }
    }
}
