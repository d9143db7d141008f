using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using SlimGen.Data;
using SlimGen.Onnx;

// Classifies Fashion-MNIST's test images with a model that Samples/FashionMnist trained and exported, in ONNX Runtime:
// the deployment side of a SlimGen model, without TorchSharp or libtorch in the process.
//   dotnet run --project Samples/OnnxClassify -- runs/fashion-mnist/<run>/model.onnx            the embedded 400 test images
//   dotnet run --project Samples/OnnxClassify -- runs/fashion-mnist/<run>/model.onnx <folder>   t10k-*-ubyte(.gz) from a folder
if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: SlimGen.OnnxClassify MODEL.onnx [FOLDER with t10k-images-idx3-ubyte(.gz) and t10k-labels-idx1-ubyte(.gz)]");
    return 2;
}

using var model = OnnxModel.Load(args[0]);
var (images, labels) = args.Length == 2 ? (Read(args[1], "t10k-images-idx3-ubyte"), Read(args[1], "t10k-labels-idx1-ubyte")) : (Embedded("t10k-images-idx3-ubyte.gz"), Embedded("t10k-labels-idx1-ubyte.gz"));
int count = labels.Shape[0];
// The sample's preprocessing: gray levels scaled to [0, 1].
var pixels = images.Data.ToArray().Select(value => value / 255f).ToArray();

const int Batch = 500;
var clock = Stopwatch.StartNew();
int correct = 0;
for (int start = 0; start < count; start += Batch)
{
    int size = Math.Min(Batch, count - start);
    var predicted = model.Classify(pixels[(start * model.InputSize)..((start + size) * model.InputSize)], size);
    correct += predicted.Where((label, i) => label == labels.Data.Span[start + i]).Count();
}
Console.WriteLine($"{model.Name} ({args[0]}) in ONNX Runtime: accuracy {(double)correct / count:0.0000} on {count:N0} test images, " +
                  $"{count / clock.Elapsed.TotalSeconds:N0} images/s");
return 0;

static IdxArray Read(string folder, string name) =>
    Idx.Read(new[] { name + ".gz", name }.Select(file => Path.Combine(folder, file)).FirstOrDefault(File.Exists)
             ?? throw new FileNotFoundException($"{name}(.gz) is not in {folder}.", Path.Combine(folder, name)));

static IdxArray Embedded(string name)
{
    using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("FashionMnist." + name)!;
    return Idx.Read(stream, name);
}
