using Orbyt.TokenRefresher;

var builder = WebApplication.CreateBuilder(args);
builder.AddTokenRefresher();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
