using System.CommandLine;
using AppHost;
using AppHost.Model;
using AppHost.Publishing;
using AppHost.Running;
using Microsoft.Extensions.Configuration;

// `dotnet run --project AppHost` runs the whole system on this machine; `dotnet run --project AppHost -- publish`
// writes its .NET Aspire deployment manifest. Both read one application model: Model/TasksApplication.cs.

var apiUrlOption = new Option<string>(AppHostSettings.Options[AppHostSettings.ApiUrlKey])
{
    Description = $"Where TaskApi listens ({AppHostSettings.ApiUrlKey}). Default: {TasksApplication.DefaultApiUrl}",
};
var dataDirectoryOption = new Option<string>(AppHostSettings.Options[AppHostSettings.DataDirectoryKey])
{
    Description = $"Folder of the private PostgreSQL cluster and Redis data ({AppHostSettings.DataDirectoryKey}). Default: AppHost/.data",
};
var replicasOption = new Option<string[]>(AppHostSettings.Options[AppHostSettings.ReplicasSection])
{
    Description = "Instances of a project, e.g. worker=3 api=2 scheduler=2 (Replicas:worker=3). Default: 1 each",
    AllowMultipleArgumentsPerToken = true,
};
var outputOption = new Option<string>("--output", "-o")
{
    Description = "Where to write the manifest; project paths in it are relative to its folder",
    DefaultValueFactory = _ => "aspire-manifest.json",
};

var runCommand = new RootCommand("Runs the task service on this machine: PostgreSQL, Redis and Kafka, then TaskApi, TaskWorker and Scheduler.")
{
    apiUrlOption,
    dataDirectoryOption,
    replicasOption,
};
var publishCommand = new Command("publish", "Writes the deployment manifest in .NET Aspire's format.") { outputOption };
runCommand.Subcommands.Add(publishCommand);

runCommand.SetAction((parseResult, _) => ReportingProblemsAsync(() => RunAsync(parseResult)));
publishCommand.SetAction((parseResult, _) => ReportingProblemsAsync(() => PublishAsync(parseResult.GetRequiredValue(outputOption))));

// The orchestrator handles Ctrl+C and SIGTERM itself: stopping the services gracefully takes longer than
// System.CommandLine waits before it ends the process.
return await runCommand.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

async Task RunAsync(ParseResult parseResult)
{
    var configuration = new ConfigurationBuilder()
        .AddEnvironmentVariables()
        .AddInMemoryCollection(CommandLineSettings(parseResult))
        .Build();
    var settings = new AppHostSettings(configuration);
    var model = TasksApplication.Create();
    settings.ApplyTo(model);

    using var signals = new StopSignals();
    await new Orchestrator(model, settings, new ConsoleLog()).RunAsync(signals.StopRequested, signals.StopNow);
}

Task PublishAsync(string output)
{
    ManifestPublisher.Write(TasksApplication.Create(), output);
    Console.WriteLine($"wrote {Path.GetFullPath(output)}");
    return Task.CompletedTask;
}

// The options as the configuration keys they stand for, so that they override the environment's values.
IEnumerable<KeyValuePair<string, string?>> CommandLineSettings(ParseResult parseResult)
{
    if (parseResult.GetValue(apiUrlOption) is { } apiUrl)
    {
        yield return new(AppHostSettings.ApiUrlKey, apiUrl);
    }
    if (parseResult.GetValue(dataDirectoryOption) is { } dataDirectory)
    {
        yield return new(AppHostSettings.DataDirectoryKey, dataDirectory);
    }
    foreach (var replicas in parseResult.GetValue(replicasOption) ?? [])
    {
        var parts = replicas.Split('=');
        if (parts is not [var project, var count])
        {
            throw new AppHostException($"--replicas takes project=count, e.g. worker=3: got '{replicas}'");
        }
        yield return new($"{AppHostSettings.ReplicasSection}:{project}", count);
    }
}

// A problem the user can fix is one line naming the fix, and a non-zero exit code; anything else is a bug and keeps its stack trace.
static async Task<int> ReportingProblemsAsync(Func<Task> action)
{
    try
    {
        await action();
        return 0;
    }
    catch (AppHostException problem)
    {
        await Console.Error.WriteLineAsync($"error: {problem.Message}");
        return 1;
    }
}
