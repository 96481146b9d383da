using System.Text.Json;

namespace Hearth.Cli.Tests;

/// <summary>create, import, list, show, cp and rm through the real entry point, including their error paths.</summary>
public sealed class StoreCommandsTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task CreateAddsAnUntrainedModelThatListAndShowDescribe()
    {
        var created = await _cli.RunAsync("create", "mini", "--preset", "tiny", "--seed", "4");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("created mini:latest", created.Out);
        Assert.Contains("untrained", created.Out);

        var list = await _cli.RunAsync("list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("mini:latest", list.Out);

        var show = await _cli.RunAsync("show", "mini", "--json");
        Assert.Equal(0, show.ExitCode);
        using var doc = JsonDocument.Parse(show.Out);
        Assert.Equal("llama", doc.RootElement.GetProperty("architecture").GetString());
        Assert.Equal(512, doc.RootElement.GetProperty("context_length").GetInt64());
        Assert.Equal("chatml", doc.RootElement.GetProperty("chat_template_family").GetString());
        Assert.Equal("F32", doc.RootElement.GetProperty("quantization").GetString());
        Assert.True(doc.RootElement.GetProperty("parameters").GetInt64() > 100_000);
    }

    [Fact]
    public async Task CreateHonoursShapeOptions()
    {
        var r = await _cli.RunAsync("create", "shaped", "--layers", "3", "--dim", "96", "--heads", "6", "--kv-heads", "3", "--ffn", "160",
            "--vocab", "300", "--ctx", "256", "--type", "f16");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse((await _cli.RunAsync("show", "shaped", "--json")).Out);
        Assert.Equal(3, doc.RootElement.GetProperty("block_count").GetInt64());
        Assert.Equal(96, doc.RootElement.GetProperty("embedding_length").GetInt64());
        Assert.Equal(3, doc.RootElement.GetProperty("head_count_kv").GetInt64());
        Assert.Equal(256, doc.RootElement.GetProperty("context_length").GetInt64());
        Assert.Equal("F16", doc.RootElement.GetProperty("quantization").GetString());
    }

    [Theory]
    [InlineData(new[] { "create", "bad", "--heads", "5" }, "divisible by heads")]
    [InlineData(new[] { "create", "bad", "--preset", "huge" }, "unknown preset 'huge'")]
    [InlineData(new[] { "create", "bad", "--arch", "gpt2" }, "architecture 'gpt2' cannot be created")]
    [InlineData(new[] { "create", "bad", "--type", "q4_0" }, "weight type 'q4_0' is not supported by create")]
    [InlineData(new[] { "create", "../escape" }, "invalid model name '../escape'")]
    [InlineData(new[] { "create", "/etc/passwd" }, "invalid model name")]
    public async Task CreateRejectsBadInputWithAClearError(string[] args, string expected)
    {
        var r = await _cli.RunAsync(args);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(expected, r.Error);
        Assert.StartsWith("Error: ", r.Error);
        Assert.DoesNotContain("   at ", r.Error); // no stack trace
        Assert.DoesNotContain("bad", (await _cli.RunAsync("list")).Out);
    }

    [Fact]
    public async Task ShowOfAnUnknownModelSuggestsCloseNames()
    {
        await _cli.RunAsync("create", "tinyllama");
        var r = await _cli.RunAsync("show", "tinylama");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("model 'tinylama' not found", r.Error);
        Assert.Contains("tinyllama:latest", r.Error);
    }

    [Fact]
    public async Task ShowPrintsSingleFieldsOnRequest()
    {
        await _cli.RunAsync("create", "fields");
        Assert.Contains("<|im_start|>", (await _cli.RunAsync("show", "fields", "--template")).Out);
        Assert.Equal("mit", (await _cli.RunAsync("show", "fields", "--license")).Out.Trim());
        var human = await _cli.RunAsync("show", "fields");
        Assert.Contains("architecture", human.Out);
        Assert.Contains("chatml", human.Out);
    }

    [Fact]
    public async Task CopyAndRemoveKeepSharedBlobsUntilTheLastNameGoes()
    {
        await _cli.RunAsync("create", "orig");
        var cp = await _cli.RunAsync("cp", "orig", "copy:v2");
        Assert.True(cp.ExitCode == 0, cp.ToString());
        var blobs = Path.Combine(_cli.Home, "models", "blobs");
        Assert.Single(Directory.GetFiles(blobs));

        var rm = await _cli.RunAsync("rm", "orig");
        Assert.Equal(0, rm.ExitCode);
        Assert.Single(Directory.GetFiles(blobs)); // still used by copy:v2
        Assert.Equal(0, (await _cli.RunAsync("show", "copy:v2")).ExitCode);

        rm = await _cli.RunAsync("rm", "copy:v2");
        Assert.Contains("freed", rm.Out);
        Assert.Empty(Directory.GetFiles(blobs));
    }

    [Fact]
    public async Task RemoveChecksEveryNameBeforeDeletingAny()
    {
        await _cli.RunAsync("create", "keep");
        var r = await _cli.RunAsync("rm", "keep", "missing");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("model 'missing' not found", r.Error);
        Assert.Contains("keep:latest", (await _cli.RunAsync("list")).Out);
    }

    [Fact]
    public async Task CopyOfAnUnknownModelFails()
    {
        var r = await _cli.RunAsync("cp", "nothing", "other");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("model 'nothing' not found", r.Error);
    }

    [Fact]
    public async Task ImportCopiesAGgufAndDerivesItsName()
    {
        await _cli.RunAsync("create", "src");
        var blob = Directory.GetFiles(Path.Combine(_cli.Home, "models", "blobs")).Single();
        var file = Path.Combine(_cli.Home, "My Model-Q8_0.gguf");
        File.Copy(blob, file);

        var r = await _cli.RunAsync("import", file);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("my-model-q8_0", (await _cli.RunAsync("list")).Out);
        Assert.True(File.Exists(file), "import copies by default");

        r = await _cli.RunAsync("import", file, "--name", "named:v1", "--json");
        Assert.Equal("named:v1", JsonDocument.Parse(r.Out).RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task ImportRejectsAFileThatIsNotGgufAndAddsNothing()
    {
        var file = Path.Combine(_cli.Home, "notes.gguf");
        await File.WriteAllTextAsync(file, "this is not a model, just some text that is long enough to parse");
        var r = await _cli.RunAsync("import", file, "--name", "junk");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("GGUF", r.Error);
        Assert.DoesNotContain("junk", (await _cli.RunAsync("list")).Out);
    }

    [Fact]
    public async Task ImportOfAMissingFileSaysSo()
    {
        var r = await _cli.RunAsync("import", "/no/such/file.gguf");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("file '/no/such/file.gguf' not found", r.Error);
    }

    [Fact]
    public async Task ListJsonIsEmptyOnAFreshHome()
    {
        var r = await _cli.RunAsync("list", "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(0, JsonDocument.Parse(r.Out).RootElement.GetProperty("models").GetArrayLength());
    }

    [Fact]
    public async Task WrongArgumentCountIsAUsageError()
    {
        var r = await _cli.RunAsync("cp", "only-one");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("DESTINATION", r.Error + r.Out);
    }

    [Fact]
    public async Task RealProcessExitsNonZeroWithOneErrorLine()
    {
        var r = await _cli.RunProcessAsync(null, "show", "ghost");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("Error: model 'ghost' not found", r.Error);
        Assert.Single(r.Error.Trim().Split('\n'));
        Assert.Empty(r.Out);
    }
}
