using TaskApi.Extensions;
using TaskApi.Features.Tasks;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapDefaultEndpoints();
app.MapOpenApiAndSwagger();
app.MapTasksApi();

app.Run();

public partial class Program;
