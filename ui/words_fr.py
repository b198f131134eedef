"""The French of the page's own words, keyed by their English (ui.words renders them).

tests/test_words.py fails when a text the UI writes has no French here.
"""
from __future__ import annotations

FRENCH_UI: dict[str, str] = {
    # the page and its tabs
    "# Cameo Studio\nPut real people into generated clips, only with their verified, revocable consent.":
        "# Cameo Studio\nMettez de vraies personnes dans des clips générés, seulement avec leur consentement vérifié "
        "et révocable.",
    "Language": "Langue",
    "Account": "Compte",
    "My cameo": "Mon caméo",
    "People": "Personnes",
    "Create": "Créer",
    "Feed": "Fil",
    "Appearances & inbox": "Apparitions et messages",
    "Family": "Famille",
    "Verify": "Vérifier",
    "Moderation": "Modération",
    "Refresh": "Actualiser",
    "yes": "oui",
    "no": "non",
    "none": "aucun",
    "its first characters": "ses premiers caractères",
    # what every tab shares
    "Something went wrong on our side ({kind}). Nothing was changed; please try again.":
        "Un problème est survenu de notre côté ({kind}). Rien n'a été modifié ; veuillez réessayer.",
    "Sign in first (the Account tab).": "Connectez-vous d'abord (onglet Compte).",
    "Not signed in.": "Non connecté.",
    "Signed in as **@{handle}** (adult account).": "Connecté en tant que **@{handle}** (compte adulte).",
    "Signed in as **@{handle}** (teen account: the strictest rules apply).":
        "Connecté en tant que **@{handle}** (compte ado : les règles les plus strictes s'appliquent).",
    "Pick one of the {what} listed (its first characters).": "Choisissez l'un des {what} listés (ses premiers caractères).",
    "{what}: type a whole number, or leave it blank.": "{what} : saisissez un nombre entier, ou laissez vide.",
    "links": "liens",
    "decisions": "décisions",
    "Days": "Jours",
    "The face number": "Le numéro du visage",
    # account
    "New here? Tell us your birth year once: under 18 is a teen account with stricter rules.":
        "Nouveau ici ? Indiquez une fois votre année de naissance : avant 18 ans, c'est un compte ado aux règles "
        "plus strictes.",
    "Handle": "Pseudo",
    "Password": "Mot de passe",
    "Birth year (sign-up)": "Année de naissance (inscription)",
    "Invitation code (sign-up: this studio is invitation-only)":
        "Code d'invitation (inscription : ce studio est sur invitation)",
    "Sign up": "S'inscrire",
    "Log in": "Se connecter",
    "Save birth year": "Enregistrer l'année de naissance",
    "Log out": "Se déconnecter",
    "Join with this code": "Rejoindre avec ce code",
    "Sign in with Hugging Face first (the button above), then join with your code.":
        "Connectez-vous d'abord avec Hugging Face (le bouton ci-dessus), puis rejoignez avec votre code.",
    "Signed in with Hugging Face as **{user}**, but {why}, then press **Join with this code**.":
        "Connecté avec Hugging Face en tant que **{user}**, mais {why}, puis appuyez sur **Rejoindre avec ce code**.",
    "My invitation codes": "Mes codes d'invitation",
    "Each account gets {n} codes to invite people it knows.":
        "Chaque compte reçoit {n} codes pour inviter des personnes qu'il connaît.",
    "Show my codes": "Afficher mes codes",
    "Delete my account": "Supprimer mon compte",
    "Deletes your cameo (face templates, voice embedding, reference images), every clip you made, your follows and "
    "requests. Clips taken down stay listed as removed. This cannot be undone.":
        "Supprime votre caméo (empreintes du visage, empreinte vocale, images de référence), tous les clips que vous "
        "avez faits, vos abonnements et vos demandes. Les clips retirés restent listés comme retirés. C'est "
        "irréversible.",
    "I understand: delete my account and everything above": "J'ai compris : supprimer mon compte et tout ce qui précède",
    "Enter your birth year to sign up.": "Indiquez votre année de naissance pour vous inscrire.",
    "Tick the box to confirm that you want everything deleted.":
        "Cochez la case pour confirmer que vous voulez tout supprimer.",
    "Your account and everything in it were deleted.": "Votre compte et tout son contenu ont été supprimés.",
    # my cameo
    "Enroll your cameo: one short recording proves it is really you, and that you agree. With a cameo already, a new "
    "recording re-records it: it must be you again, and your settings and approvals stay.":
        "Inscrivez votre caméo : un court enregistrement prouve que c'est bien vous, et que vous êtes d'accord. Si "
        "vous avez déjà un caméo, un nouvel enregistrement le remplace : ce doit être encore vous, et vos réglages "
        "et autorisations sont conservés.",
    "Start enrollment": "Commencer l'inscription",
    "Your recording": "Votre enregistrement",
    "Verify and create my cameo": "Vérifier et créer mon caméo",
    "### My cameo": "### Mon caméo",
    "Your reference images": "Vos images de référence",
    "Hear my cameo voice": "Écouter la voix de mon caméo",
    "Voice sample": "Extrait de voix",
    "Who may use my cameo": "Qui peut utiliser mon caméo",
    "Only me": "Moi seul",
    "People I approve": "Les personnes que j'approuve",
    "Mutuals (we follow each other)": "Abonnés mutuels (nous nous suivons)",
    "Everyone": "Tout le monde",
    "Instructions for people using my cameo (max 500 characters)":
        "Consignes pour les personnes qui utilisent mon caméo (500 caractères au plus)",
    "Rules": "Règles",
    "No political content": "Pas de contenu politique",
    "No violence": "Pas de violence",
    "Keep my clothes as recorded": "Garder mes vêtements tels qu'enregistrés",
    "I approve each clip with my cameo before it is published (they wait in my Appearances & inbox tab)":
        "J'approuve chaque clip avec mon caméo avant sa publication (ils attendent dans mon onglet Apparitions et "
        "messages)",
    "Save settings": "Enregistrer les réglages",
    "Revoke and delete my cameo": "Révoquer et supprimer mon caméo",
    "Revoking deletes your face templates, voice embedding and reference images for good, stops every job using your "
    "cameo, and takes down every clip and draft that features you. Only a tombstone (ids, dates, hashes) stays in the "
    "audit log.":
        "La révocation supprime définitivement vos empreintes du visage, votre empreinte vocale et vos images de "
        "référence, arrête toute tâche qui utilise votre caméo, et retire chaque clip et brouillon où vous figurez. "
        "Seule une trace (identifiants, dates, empreintes) reste dans le journal d'audit.",
    "I understand: delete my cameo and take down every clip with me in it":
        "J'ai compris : supprimer mon caméo et retirer chaque clip où je figure",
    "Revoke my cameo": "Révoquer mon caméo",
    "Your challenge": "Votre défi",
    'Say: "{sentence}"': "Dites : « {sentence} »",
    "Say: “{sentence}”": "Dites : « {sentence} »",
    "Then read these digits aloud: {digits}": "Puis lisez ces chiffres à voix haute : {digits}",
    "Pause for a second, then read these digits aloud **in English** (the offline speech recogniser knows English "
    "digits only): {digits}":
        "Marquez une pause d'une seconde, puis lisez ces chiffres à voix haute **en anglais** (« one, two, "
        "three… » : la reconnaissance vocale hors ligne du studio ne reconnaît que les chiffres en anglais) : {digits}",
    "Then turn your head {turns}, back to the centre each time":
        "Puis tournez la tête {turns}, en revenant au centre à chaque fois",
    ", then ": ", puis ",
    "LEFT": "GAUCHE",
    "RIGHT": "DROITE",
    "UP": "HAUT",
    "DOWN": "BAS",
    "Head turns:": "Mouvements de tête :",
    "Record one clip of at most 15 s, alone, facing the camera. The challenge expires in {minutes} minutes and can be "
    "used once.":
        "Enregistrez un clip de 15 s au plus, seul, face à la caméra. Le défi expire dans {minutes} minutes et ne "
        "sert qu'une fois.",
    "### ✅ Your cameo is ready\nCameo id `{cameo}`. Only you can use it until you allow others.":
        "### ✅ Votre caméo est prêt\nIdentifiant `{cameo}`. Vous seul pouvez l'utiliser tant que vous ne l'ouvrez "
        "pas à d'autres.",
    "### ❌ We could not verify this recording\n{reasons}\n\nStart a new enrollment and record again.":
        "### ❌ Nous n'avons pas pu vérifier cet enregistrement\n{reasons}\n\nCommencez une nouvelle inscription et "
        "enregistrez à nouveau. (Le détail de chaque vérification est en anglais.)",
    "Challenge": "Défi",
    "One face": "Un seul visage",
    "Face quality": "Qualité du visage",
    "Head turns": "Mouvements de tête",
    "Liveness": "Présence réelle",
    "Same person": "Même personne",
    "Digits": "Chiffres",
    "Voice": "Voix",
    "Not enrolled already": "Pas déjà inscrit",
    "**This challenge expired.** Start a new enrollment for a fresh one.":
        "**Ce défi a expiré.** Commencez une nouvelle inscription pour en obtenir un autre.",
    "Time left for this challenge: **{left}**": "Temps restant pour ce défi : **{left}**",
    "Start an enrollment first: the challenge tells you what to say and do.":
        "Commencez d'abord une inscription : le défi vous dit quoi dire et faire.",
    "Record your clip first.": "Enregistrez d'abord votre clip.",
    "Sign in to see your cameo.": "Connectez-vous pour voir votre caméo.",
    "You have no cameo yet: start an enrollment above.": "Vous n'avez pas encore de caméo : commencez une inscription "
                                                         "ci-dessus.",
    "Cameo `{cameo}`, enrolled with {face_model}. Voice: a {voice_model} embedding":
        "Caméo `{cameo}`, inscrit avec {face_model}. Voix : une empreinte {voice_model}",
    ", median pitch {hz} Hz.": ", hauteur médiane {hz} Hz.",
    "This challenge was issued to another account; start a new enrollment.":
        "Ce défi a été émis pour un autre compte ; commencez une nouvelle inscription.",
    "Sending your recording": "Envoi de votre enregistrement",
    "You have no cameo yet.": "Vous n'avez pas encore de caméo.",
    "Saved: {level}.": "Enregistré : {level}.",
    " Clips with your cameo wait for your approval.": " Les clips avec votre caméo attendent votre approbation.",
    "Tick the box to confirm: revoking cannot be undone.": "Cochez la case pour confirmer : la révocation est "
                                                           "irréversible.",
    "You have no cameo to revoke.": "Vous n'avez pas de caméo à révoquer.",
    "Your cameo was revoked: its biometric data is deleted and its clips are taken down.":
        "Votre caméo a été révoqué : ses données biométriques sont supprimées et ses clips retirés.",
    # people
    "Follow": "Suivre",
    "Unfollow": "Ne plus suivre",
    "Ask to use their cameo": "Demander à utiliser son caméo",
    "### Requests to use my cameo": "### Demandes d'utilisation de mon caméo",
    "Requests": "Demandes",
    "Request": "Demande",
    "Approve": "Approuver",
    "Deny": "Refuser",
    "Withdraw approval": "Retirer l'approbation",
    "Pick a request first.": "Choisissez d'abord une demande.",
    "You now follow @{handle}.": "Vous suivez désormais @{handle}.",
    "You no longer follow @{handle}.": "Vous ne suivez plus @{handle}.",
    "@{handle} has no cameo.": "@{handle} n'a pas de caméo.",
    "Asked @{handle}; you will see their answer in your inbox.":
        "Demande envoyée à @{handle} ; sa réponse arrivera dans vos messages.",
    "Approved.": "Approuvé.",
    "Denied.": "Refusé.",
    "Approval withdrawn.": "Approbation retirée.",
    # create
    "Clips are made by the **{name}** backend (`{model}`).": "Les clips sont faits par le moteur **{name}** (`{model}`).",
    "Clips are made by the **{name}** backend (`{model}`). The preview is a draft animatic made on the CPU, not the "
    "video model.":
        "Les clips sont faits par le moteur **{name}** (`{model}`). L'aperçu est une animatique brouillon faite sur "
        "le CPU, pas le modèle vidéo.",
    "Video model: {status}": "Modèle vidéo : {status}",
    "Prompt": "Prompt",
    '@alice and @bob on a beach at sunset, slow pan left. @alice says "we made it!"':
        '@alice et @bob sur une plage au coucher du soleil, lent panoramique à gauche. @alice dit « on a réussi ! »',
    "Cameos (up to 3)": "Caméos (3 au plus)",
    "Style": "Style",
    "Realistic": "Réaliste",
    "Cinematic": "Cinéma",
    "Animated": "Animation",
    "Documentary": "Documentaire",
    "Vintage film": "Film d'époque",
    "Image references (up to {n}): an object, product, place or outfit":
        "Images de référence ({n} au plus) : un objet, un produit, un lieu ou une tenue",
    "Photos without people: a face that is not one of the clip's cameos is refused.":
        "Des photos sans personne : un visage qui n'est pas l'un des caméos du clip est refusé.",
    "Image reference {k}": "Image de référence {k}",
    "What it is": "Ce que c'est",
    "object": "objet",
    "product": "produit",
    "place": "lieu",
    "outfit": "tenue",
    "Its name in the prompt": "Son nom dans le prompt",
    "my red car": "ma voiture rouge",
    "Seconds": "Secondes",
    "Aspect ratio": "Format d'image",
    "Seed": "Graine",
    "Generate": "Générer",
    "Cancel": "Annuler",
    "Your clip": "Votre clip",
    "Who may see it": "Qui peut le voir",
    "everyone": "tout le monde",
    "my followers": "mes abonnés",
    "only me": "moi seul",
    "Publish": "Publier",
    "My jobs": "Mes tâches",
    " (me)": " (moi)",
    "**Clip `{clip}`** ({status}) made by **{backend}** (`{model}`), {seconds} s at {size}, seed {seed}.":
        "**Clip `{clip}`** ({status}) fait par **{backend}** (`{model}`), {seconds} s en {size}, graine {seed}.",
    "- Watermark id: `{mark}`; C2PA Content Credentials signed by this studio.":
        "- Identifiant du filigrane : `{mark}` ; Content Credentials C2PA signés par ce studio.",
    "- Consent records:": "- Registres de consentement :",
    "- Face similarity to each cameo: {sims}": "- Ressemblance du visage avec chaque caméo : {sims}",
    "- Note: {note}": "- Remarque : {note}",
    "- [Download from storage]({url}) (link valid for {minutes} min)":
        "- [Télécharger depuis le stockage]({url}) (lien valable {minutes} min)",
    "A moderator suspended your generation until {until} UTC: {reason}":
        "Un modérateur a suspendu vos générations jusqu'au {until} UTC : {reason}",
    "**{remaining} of {limit} clips left** in the last 24 hours ({kind}).":
        "**{remaining} clips restants sur {limit}** sur les dernières 24 heures ({kind}).",
    "The clip was taken down before you could see it.": "Le clip a été retiré avant que vous ne puissiez le voir.",
    "Saved as a draft: only you see it until you publish.":
        "Enregistré comme brouillon : vous seul le voyez tant que vous ne le publiez pas.",
    "Stopping your clip: nothing of it will be stored.": "Arrêt de votre clip : rien n'en sera conservé.",
    "You have no clip in the making.": "Vous n'avez pas de clip en cours.",
    "Generate a clip first.": "Générez d'abord un clip.",
    "Not published: consent no longer holds ({reasons}).": "Non publié : le consentement ne tient plus ({reasons}).",
    "Waiting for approval: someone in this clip approves clips with their cameo before they go out. You will find "
    "their answer in your inbox.":
        "En attente d'approbation : une personne de ce clip approuve les clips avec son caméo avant leur "
        "publication. Sa réponse arrivera dans vos messages.",
    "Published: it is in the feed now.": "Publié : il est maintenant dans le fil.",
    "Published, visible to you only.": "Publié, visible par vous seul.",
    # jobs
    "Waiting for a worker": "En attente d'un processus de calcul",
    "Starting": "Démarrage",
    "Checking your recording": "Vérification de votre enregistrement",
    "Voices and sound": "Voix et son",
    "Rendering": "Rendu",
    "Safety checks": "Contrôles de sécurité",
    "Watermarks": "Filigranes",
    "Signing and saving": "Signature et enregistrement",
    "Speaking in your cameo's voice": "Lecture avec la voix de votre caméo",
    "voice sample": "extrait de voix",
    "Done": "Terminé",
    "enrollment": "inscription",
    "clip": "clip",
    "The job queue is unreachable right now: your job is saved and starts as soon as it is back":
        "La file des tâches est injoignable pour le moment : votre tâche est enregistrée et démarrera dès son retour",
    " (attempt {n})": " (tentative {n})",
    "This job no longer exists.": "Cette tâche n'existe plus.",
    "Stopped: {why}. Nothing was stored.": "Arrêté : {why}. Rien n'a été conservé.",
    "cancelled": "annulé",
    "The job failed; nothing was stored.": "La tâche a échoué ; rien n'a été conservé.",
    "clip {clip}": "clip {clip}",
    "No unfinished job of yours has that id.": "Aucune de vos tâches en cours n'a cet identifiant.",
    "queued": "en file",
    "running": "en cours",
    "done": "terminé",
    "failed": "échoué",
    # statuses shown in tables
    "draft": "brouillon",
    "published": "publié",
    "pending": "en attente",
    "removed": "retiré",
    "public": "public",
    "followers": "abonnés",
    "private": "privé",
    "approved": "approuvé",
    "denied": "refusé",
    "withdrawn": "retiré",
    "active": "actif",
    "revoked": "révoqué",
    "declined": "refusé",
    "ended": "terminé",
    "only_me": "moi seul",
    "mutuals": "abonnés mutuels",
    # table headers
    "handle": "pseudo",
    "has a cameo": "a un caméo",
    "you follow": "vous suivez",
    "follows you": "vous suit",
    "your request": "votre demande",
    "you may use it": "vous pouvez l'utiliser",
    "request": "demande",
    "from": "de",
    "status": "statut",
    "when": "quand",
    "by": "par",
    "with": "avec",
    "prompt": "prompt",
    "why am I seeing this": "pourquoi je vois ceci",
    "remix of": "remix de",
    "category": "catégorie",
    "reported": "signalé le",
    "state": "état",
    "outcome": "issue",
    "reason": "motif",
    "case": "dossier",
    "decision": "décision",
    "suspended until": "suspendu jusqu'au",
    "can appeal": "appel possible",
    "visibility": "visibilité",
    "asked": "demandé le",
    "kind": "type",
    "notice": "message",
    "link": "lien",
    "parent": "parent",
    "teen": "ado",
    "since": "depuis",
    "controls": "contrôles",
    "job": "tâche",
    "what": "quoi",
    "progress": "progression",
    "note": "remarque",
    "severity": "gravité",
    "opened": "ouvert le",
    "creator": "créateur",
    "reports": "signalements",
    "face": "visage",
    "seen at (s)": "vu à (s)",
    "where (x0, y0, x1, y1)": "où (x0, y0, x1, y1)",
    "sightings": "apparitions",
    "is the cameo of": "est le caméo de",
    # feed, reports, appearances
    "Following only": "Seulement les comptes suivis",
    "Your feed: people you follow first, then what is new": "Votre fil : d'abord les personnes que vous suivez, puis "
                                                            "les nouveautés",
    "Clip": "Clip",
    "Remix in Create": "Remixer dans Créer",
    "Report this clip": "Signaler ce clip",
    "Tell the moderators what is wrong with the clip picked above. A clip reported by several people, or by someone "
    "in it, is hidden at once until a moderator decides.":
        "Dites aux modérateurs ce qui ne va pas dans le clip choisi ci-dessus. Un clip signalé par plusieurs "
        "personnes, ou par une personne qui y figure, est masqué aussitôt jusqu'à la décision d'un modérateur.",
    "What is wrong": "Ce qui ne va pas",
    'In your words (needed for "something else")': "Avec vos mots (nécessaire pour « autre chose »)",
    "Send report": "Envoyer le signalement",
    "My reports": "Mes signalements",
    "{clip} by @{creator}: {prompt}": "{clip} par @{creator} : {prompt}",
    "_Following only: {why}._": "_Seulement les comptes suivis : {why}._",
    "Nothing to show yet.": "Rien à afficher pour l'instant.",
    ' Follow people in the People tab, or switch off "following only".':
        " Suivez des personnes dans l'onglet Personnes, ou désactivez « seulement les comptes suivis ».",
    "in review": "en cours d'examen",
    "decided": "tranché",
    "the clip was removed by its creator or a person in it": "le clip a été retiré par son créateur ou une personne "
                                                             "qui y figure",
    "kept": "conservé",
    "taken down": "retiré",
    "keep": "conserver",
    "take down": "retirer",
    "uphold": "maintenir",
    "overturn": "annuler",
    "uphold (the appeal is refused)": "maintenir (l'appel est rejeté)",
    "overturn (the appeal is accepted)": "annuler (l'appel est accepté)",
    "Loaded into Create: your own permissions are checked again for every cameo.":
        "Chargé dans Créer : vos propres autorisations sont vérifiées à nouveau pour chaque caméo.",
    "Pick a clip to report.": "Choisissez un clip à signaler.",
    "Choose what is wrong with the clip.": "Choisissez ce qui ne va pas dans le clip.",
    "You had already reported this clip; it counts once.": "Vous aviez déjà signalé ce clip ; il ne compte qu'une fois.",
    "Clips and drafts featuring my cameo": "Clips et brouillons avec mon caméo",
    "Delete this clip": "Supprimer ce clip",
    "### Inbox": "### Messages",
    "Inbox": "Messages",
    "### Clips waiting for my approval\nWhere you asked to approve clips with your cameo before they go out (My cameo "
    "tab), they wait here.":
        "### Clips en attente de mon approbation\nSi vous avez demandé à approuver les clips avec votre caméo avant "
        "leur publication (onglet Mon caméo), ils attendent ici.",
    "Clip id": "Identifiant du clip",
    "Approve publication": "Approuver la publication",
    "Decline": "Refuser",
    "### Moderators' decisions about my clips\nA takedown or a suspension can be appealed once; the appeal's "
    "decision is final.":
        "### Décisions des modérateurs sur mes clips\nOn peut faire appel une fois d'un retrait ou d'une suspension ; "
        "la décision d'appel est définitive.",
    "Case": "Dossier",
    "Why it should be looked at again": "Pourquoi il faut le réexaminer",
    "Appeal": "Faire appel",
    "Pick a clip first.": "Choisissez d'abord un clip.",
    "Deleted.": "Supprimé.",
    "Clip {clip} is now {status}.": "Le clip {clip} est maintenant {status}.",
    "Your appeal was received and goes back to a moderator.": "Votre appel a été reçu et retourne à un modérateur.",
    # family
    "A parent account (adult) asks to link with a teen account; the teen confirms. The parent can then narrow who "
    "may use the teen's cameo (never beyond mutual followers), keep the teen's feed to accounts they follow, set a "
    "daily generation limit, turn off publishing, and see a summary of the teen's appearances. The teen sees exactly "
    "what the parent can see and do.":
        "Un compte parent (adulte) demande à se lier à un compte ado ; l'ado confirme. Le parent peut alors "
        "restreindre qui peut utiliser le caméo de l'ado (jamais au-delà des abonnés mutuels), limiter le fil de "
        "l'ado aux comptes qu'il suit, fixer une limite quotidienne de génération, désactiver la publication, et "
        "voir un résumé des apparitions de l'ado. L'ado voit exactement ce que le parent peut voir et faire.",
    "Teen's handle (to link as their parent)": "Pseudo de l'ado (pour vous lier comme son parent)",
    "Ask to link": "Demander le lien",
    "Link": "Lien",
    "Confirm (teen)": "Confirmer (ado)",
    "Decline (teen)": "Refuser (ado)",
    "End the link": "Mettre fin au lien",
    "Parent's controls for this link": "Contrôles du parent pour ce lien",
    "as the teen chooses (never everyone)": "au choix de l'ado (jamais tout le monde)",
    "only the teen": "l'ado seul",
    "people the teen approves": "les personnes que l'ado approuve",
    "mutual followers": "les abonnés mutuels",
    "Who may use the teen's cameo, at most": "Qui peut utiliser le caméo de l'ado, au plus",
    "Feed: only accounts the teen follows": "Fil : seulement les comptes que l'ado suit",
    "Clips a day (blank: the studio's limit)": "Clips par jour (vide : la limite du studio)",
    "Clips a day": "Clips par jour",
    "The teen may publish": "L'ado peut publier",
    "Save controls": "Enregistrer les contrôles",
    "Summary of the teen's appearances": "Résumé des apparitions de l'ado",
    "cameo at most: {cap}": "caméo au plus : {cap}",
    "feed: following only": "fil : seulement les comptes suivis",
    "feed: as the teen chooses": "fil : au choix de l'ado",
    "{n} clips a day": "{n} clips par jour",
    "the studio's daily limit": "la limite quotidienne du studio",
    "publishing on": "publication activée",
    "publishing off": "publication désactivée",
    "No parent account is linked to yours.": "Aucun compte parent n'est lié au vôtre.",
    "**@{parent} is linked as your parent account. They can see and do:**":
        "**@{parent} est lié comme votre compte parent. Il peut voir et faire :**",
    "No clip features @{teen}'s cameo.": "Aucun clip ne montre le caméo de @{teen}.",
    "- {when} by @{creator}: {status}, {visibility}": "- {when} par @{creator} : {status}, {visibility}",
    "**{total} clips feature @{teen}'s cameo** ({statuses}). Made by {makers}.":
        "**{total} clips montrent le caméo de @{teen}** ({statuses}). Faits par {makers}.",
    "Asked: the teen confirms or declines in their Family tab.":
        "Demande envoyée : l'ado confirme ou refuse dans son onglet Famille.",
    "Confirmed.": "Confirmé.",
    "Declined.": "Refusé.",
    "The link was ended.": "Le lien a pris fin.",
    "Saved: the teen is told what changed.": "Enregistré : l'ado est informé de ce qui a changé.",
    # moderation
    "Most severe first, then oldest. Each decision needs a reason: the creator and the reporters are told. You cannot "
    "review a clip you made or appear in.":
        "Les plus graves d'abord, puis les plus anciens. Chaque décision doit être motivée : le créateur et les "
        "personnes ayant signalé en sont informés. Vous ne pouvez pas examiner un clip que vous avez fait ou où vous "
        "figurez.",
    "Refresh the queue": "Actualiser la file",
    "The clip": "Le clip",
    "Faces in the clip (to add one to the protected gallery)":
        "Visages du clip (pour en ajouter un à la galerie protégée)",
    "Find the faces in this clip": "Trouver les visages de ce clip",
    "Decision": "Décision",
    "Reason (the creator and the reporters are told)": "Motif (le créateur et les personnes ayant signalé en sont "
                                                      "informés)",
    "Also suspend the creator's generation for (days, with a takedown; blank: no)":
        "Suspendre aussi les générations du créateur pendant (jours, avec un retrait ; vide : non)",
    "Also add face number ... to the protected gallery (with a takedown; blank: no)":
        "Ajouter aussi le visage numéro … à la galerie protégée (avec un retrait ; vide : non)",
    "as (the protected person's name)": "sous le nom de (la personne protégée)",
    "Decide": "Décider",
    "Pick a case first.": "Choisissez d'abord un dossier.",
    "Choose a decision.": "Choisissez une décision.",
    "report": "signalement",
    "appeal": "appel",
    "{case} ({kind}, severity {severity}) clip {clip}": "{case} ({kind}, gravité {severity}) clip {clip}",
    "deleted account": "compte supprimé",
    "account {days} days old": "compte créé il y a {days} jours",
    "### Case `{case}`: {kind}, severity {severity}, opened {when} UTC":
        "### Dossier `{case}` : {kind}, gravité {severity}, ouvert le {when} UTC",
    "**Clip** `{clip}`: {status}, {visibility}": "**Clip** `{clip}` : {status}, {visibility}",
    ", hidden pending review": ", masqué en attente d'examen",
    ", remix of `{original}`": ", remix de `{original}`",
    ", file deleted": ", fichier supprimé",
    "**Prompt**: {prompt}": "**Prompt** : {prompt}",
    "**Creator** @{handle} ({age}": "**Créateur** @{handle} ({age}",
    ", teen": ", ado",
    ", {n} earlier takedowns": ", {n} retraits antérieurs",
    ", suspended until {until} UTC": ", suspendu jusqu'au {until} UTC",
    "**People in it and their consent**:": "**Personnes présentes et leur consentement** :",
    " (teen)": " (ado)",
    ": cameo {state}, permission now {level}; consent record `{record}`":
        " : caméo {state}, autorisation actuelle {level} ; registre de consentement `{record}`",
    "**Safety checks**:": "**Contrôles de sécurité** :",
    "**Reports** ({n}):": "**Signalements** ({n}) :",
    " (is in the clip)": " (figure dans le clip)",
    "**Appeal** of @{moderator}'s decision “{verdict}: {reason}”":
        "**Appel** de la décision de @{moderator} « {verdict} : {reason} »",
    " (suspended until {until} UTC)": " (suspendu jusqu'au {until} UTC)",
    "**History**:": "**Historique** :",
    "{when} {kind} by {actor}": "{when} {kind} par {actor}",
    "Decided: **{verdict}**: {reason}.": "Décidé : **{verdict}** : {reason}.",
    " Generation suspended until {until} UTC.": " Générations suspendues jusqu'au {until} UTC.",
    " Face added to the protected gallery as {person}.": " Visage ajouté à la galerie protégée sous le nom {person}.",
    # verify
    "A clip to verify": "Un clip à vérifier",
    "Details (as `python -m safety verify --json` prints them)":
        "Détails (tels que `python -m safety verify --json` les affiche)",
    "Upload a clip first.": "Envoyez d'abord un clip.",
}
