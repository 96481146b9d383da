using System.CommandLine;
using System.Globalization;
using Hearth.Inference.Generation;
using Hearth.Inference.Runtime;
using Hearth.Inference.Sampling;
using Hearth.Inference.Store;

namespace Hearth.Cli.Commands;

/// <summary>The generation options <c>run</c> (and <c>quickstart</c>) accept, named after Ollama's parameters.</summary>
internal sealed class RunOptions
{
    public readonly Option<string?> System = new("--system") { Description = "System prompt" };
    public readonly Option<float?> Temperature = new("--temperature") { Description = "Sampling temperature; 0 = greedy (default 0.8)" };
    public readonly Option<int?> TopK = new("--top-k") { Description = "Top-k sampling; 0 = off (default 40)" };
    public readonly Option<float?> TopP = new("--top-p") { Description = "Nucleus sampling; 1 = off (default 0.9)" };
    public readonly Option<float?> MinP = new("--min-p") { Description = "Min-p sampling; 0 = off (default 0)" };
    public readonly Option<float?> RepeatPenalty = new("--repeat-penalty") { Description = "Repeat penalty; 1 = off (default 1.1)" };
    public readonly Option<long?> Seed = new("--seed") { Description = "Random seed for reproducible output" };
    public readonly Option<int?> MaxTokens = new("--max-tokens", "--num-predict") { Description = "Most tokens to generate (default: until the model stops)" };
    public readonly Option<string[]> Stop = new("--stop") { Description = "Stop sequence (repeatable)", AllowMultipleArgumentsPerToken = false };
    public readonly Option<int?> Context = new("--ctx", "--num-ctx") { Description = "Context window in tokens (default 2048)" };
    public readonly Option<int?> Threads = new("--threads") { Description = "CPU threads (default: all cores)" };
    public readonly Option<string> Truncate = new("--truncate")
    {
        Description = "What to do when the prompt does not fit the context: none (error, default), drop-oldest, keep-end",
        DefaultValueFactory = _ => "none",
    };
    public readonly Option<bool> Verbose = new("--verbose") { Description = "Print token counts and speeds after each reply" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { System, Temperature, TopK, TopP, MinP, RepeatPenalty, Seed, MaxTokens, Stop, Context, Threads, Truncate, Verbose })
            command.Add(option);
        Truncate.AcceptOnlyFromAmong("none", "drop-oldest", "keep-end");
    }

    /// <summary>Command-line values override the manifest's defaults, through the same named-parameter table as <c>/set</c>.</summary>
    public (SamplingOptions, ModelLoadOptions) Apply(ParseResult parse, SamplingOptions sampling, ModelLoadOptions load)
    {
        void Set(string name, object? value)
        {
            if (value is not null)
                (sampling, load) = ModelParameters.Set(name, Convert.ToString(value, CultureInfo.InvariantCulture)!, sampling, load);
        }
        Set("temperature", parse.GetValue(Temperature));
        Set("top_k", parse.GetValue(TopK));
        Set("top_p", parse.GetValue(TopP));
        Set("min_p", parse.GetValue(MinP));
        Set("repeat_penalty", parse.GetValue(RepeatPenalty));
        Set("seed", parse.GetValue(Seed));
        Set("num_predict", parse.GetValue(MaxTokens));
        Set("num_ctx", parse.GetValue(Context));
        Set("num_thread", parse.GetValue(Threads));
        foreach (var stop in parse.GetValue(Stop) ?? [])
            Set("stop", stop);
        return (sampling, load);
    }

    public Truncation? TruncationFrom(ParseResult parse) => parse.GetValue(Truncate) switch
    {
        "drop-oldest" => Truncation.DropOldestMessages,
        "keep-end" => Truncation.KeepEnd,
        _ => null,
    };
}
