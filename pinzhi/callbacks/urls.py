from .views import agent, calls, officer

urlpatterns = calls.urlpatterns + officer.urlpatterns + agent.urlpatterns
