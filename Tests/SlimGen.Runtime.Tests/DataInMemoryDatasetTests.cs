using System;
using System.Linq;
using SlimGen.Data;
using Xunit;
using static TorchSharp.torch;

namespace SlimGen.Runtime.Tests;

/// <summary>Batching and shuffling of in-memory datasets.</summary>
public class DataInMemoryDatasetTests
{
    private static InMemoryDataset Numbers(int count) =>
        new(arange(count, dtype: ScalarType.Float32).unsqueeze(1), arange(count, dtype: ScalarType.Int64));

    [Fact]
    public void Batches_cover_the_examples_in_order_with_a_smaller_last_batch()
    {
        using var data = Numbers(10);

        Assert.Equal(4, data.BatchCount(3));
        Assert.Equal(3, data.BatchCount(3, dropPartial: true));
        var (inputs, labels) = data.Batch(3, 3);
        using (inputs)
        using (labels)
        {
            Assert.Equal([1L, 1], inputs.shape);
            Assert.Equal(9L, labels.item<long>());
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Batch(4, 3));
    }

    [Fact]
    public void A_permutation_orders_the_batches_and_depends_only_on_its_seed()
    {
        using var data = Numbers(100);
        manual_seed(1);
        using var first = data.Permutation(seed: 7);
        manual_seed(2);
        using var again = data.Permutation(seed: 7);
        using var other = data.Permutation(seed: 8);

        Assert.Equal(first.data<long>().ToArray(), again.data<long>().ToArray());
        Assert.NotEqual(first.data<long>().ToArray(), other.data<long>().ToArray());
        var (inputs, labels) = data.Batch(1, 10, first);
        using (inputs)
        using (labels)
        {
            Assert.Equal(first.data<long>().Skip(10).Take(10).ToArray(), labels.data<long>().ToArray());
        }
    }

    [Fact]
    public void Inputs_and_labels_must_have_the_same_number_of_examples()
    {
        var error = Assert.Throws<ArgumentException>(() => new InMemoryDataset(zeros(3, 2), zeros(4, ScalarType.Int64)));

        Assert.Contains("[3, 2]", error.Message);
        Assert.Contains("[4]", error.Message);
    }

    [Fact]
    public void The_dataset_outlives_the_dispose_scope_its_tensors_were_made_in()
    {
        InMemoryDataset data;
        using (NewDisposeScope())
            data = Numbers(4);

        using (data)
        using (var sum = data.Inputs.sum())
            Assert.Equal(6f, sum.item<float>());
    }
}
