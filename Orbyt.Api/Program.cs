using Orbyt.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddOrbytApi();

var app = builder.Build();
app.UseOrbytApi();
app.Run();
