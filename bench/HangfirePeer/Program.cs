using Hangfire;
using Hangfire.PostgreSql;
using HangfirePeer;

// The same contract as TaskApi's create path for the benchmark: POST /tasks {"name": ...} → 201; each job emulates
// work as TaskWorker does (a random delay, failing with the same probability, no retries).
var builder = WebApplication.CreateBuilder(args);
// Hangfire's client and storage are synchronous: every enqueue blocks a thread-pool thread on PostgreSQL. Without
// threads ready up front, 64 concurrent requests starve the pool and stall for seconds while it grows.
ThreadPool.SetMinThreads(256, 256);
var settings = builder.Configuration.GetSection(PeerSettings.SectionName).Get<PeerSettings>() ?? new PeerSettings();
builder.Services.AddSingleton(settings);
builder.Services.AddHangfire(hangfire => hangfire
    .UseSimpleAssemblyNameTypeSerializer()
    .UseRecommendedSerializerSettings()
    .UsePostgreSqlStorage(storage => storage.UseNpgsqlConnection(builder.Configuration.GetConnectionString("hangfire")),
        new PostgreSqlStorageOptions
        {
            QueuePollInterval = settings.QueuePollInterval,
            // Without it every running job holds a connection (and a transaction) for its whole run, so no more jobs
            // run at once than PostgreSQL takes connections (100 on Debian's default).
            UseSlidingInvisibilityTimeout = true,
        }));
builder.Services.AddHangfireServer(server => server.WorkerCount = settings.WorkerCount);
builder.Services.AddHealthChecks();

var app = builder.Build();
app.MapHealthChecks("/health");
app.MapPost("/tasks", (JobRequest request, IBackgroundJobClient jobs) =>
{
    var id = jobs.Enqueue<EmulatedJob>(job => job.RunAsync(request.Name));
    return Results.Created($"/tasks/{id}", new { id });
});
app.Run();
