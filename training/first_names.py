"""Common given names from many cultures, lowercase and ASCII-folded.

Part of the account-type model's first-name lexicon: training/train_account_type.py
always includes these, adds the international list of the nomquamgender package (names known
to several national lists), and freezes the result into the model file, so inference needs
neither. With ``--names builtin`` this list is the whole lexicon.

The list is written for this project from general knowledge, by culture, and deliberately
leaves out names that are also everyday English words pages use in their names ("Grace",
"Hope", "Joy", "May", "Will", "Mark", "Art", "Rose", "Sky", "Summer", "Star", "Sunny",
"Crystal", "Bill"), because "Art Daily" or "Hope Foundation" would otherwise look like people;
the training script leaves the same words out of the package's list. Chinese and Korean
entries include the commonest family names, since those names are often written family-name
first ("Li Wei", "Kim Minji").
"""

from __future__ import annotations

FIRST_NAMES_VERSION = "first-names-v1"

_BY_CULTURE: dict[str, str] = {
    "english": """
        james john robert michael william david richard joseph thomas charles christopher
        daniel matthew anthony donald steven paul andrew joshua kenneth kevin brian george
        timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen
        larry justin scott brandon benjamin samuel gregory alexander frank patrick raymond
        jack dennis jerry tyler aaron adam nathan henry douglas zachary peter kyle ethan
        walter noah jeremy christian keith roger terry austin sean gerald carl harold dylan
        arthur lawrence jordan jesse bryan billy bruce logan alan albert willie elijah wayne
        randy vincent mason roy ralph bobby russell bradley philip eugene louis harry oliver
        liam charlie freddie archie alfie ollie jamie callum connor kieran declan owen rhys
        gareth tom tim sam ben dan dave mike matt chris nick rob bob steve jim jimmy joe josh
        alex andy tony ted rick greg jeff jake luke max leo finn toby evan ian neil colin
        craig derek martin simon stuart graham nigel trevor barry
        mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy
        betty sandra margaret ashley kimberly emily donna michelle carol amanda melissa
        deborah stephanie dorothy rebecca sharon laura cynthia amy kathleen angela shirley
        brenda emma anna pamela nicole samantha katherine christine helen debra rachel
        carolyn janet catherine heather diane olivia julie joyce victoria ruth virginia
        lauren kelly christina joan evelyn judith megan cheryl jacqueline martha madison
        teresa gloria janice ann anne kathryn abigail sophia frances alice judy isabella
        julia beverly denise marilyn danielle theresa diana natalie brittany charlotte kayla
        alexis lori maya chloe zoe ella mia ava harper aria amelia luna nora leah claire lucy
        kate katie jess jessie becky beth jen jenny meg molly holly ellie sophie hannah
        jasmine tiffany amanda courtney chelsea caitlin bethany gemma kirsty leanne niamh
        siobhan aoife ciara sinead fiona eilidh morag hamish angus dafydd seren cerys
    """,
    "spanish": """
        jose juan carlos luis miguel javier alejandro pablo diego sergio fernando jorge
        antonio manuel francisco rafael alberto andres santiago mateo sebastian nicolas
        emilio ignacio alvaro raul ruben enrique ricardo eduardo oscar hector gonzalo
        maria carmen lucia sofia paula laura marta elena isabel ana cristina rocio pilar
        valentina camila daniela gabriela fernanda alejandra ximena guadalupe lupita
        ines nuria alba irene beatriz esther veronica lorena natalia andrea silvia
        monica patricia claudia mariana jimena renata
    """,
    "portuguese": """
        joao pedro tiago bruno gustavo leonardo lucas gabriel matheus felipe rodrigo
        vinicius thiago caio rafael marcelo fabio andre paulo ricardo eduardo henrique
        joana beatriz mariana larissa leticia juliana bruna raquel tatiana aline vanessa
        fernanda camila amanda bianca carolina luana priscila renata adriana luciana
    """,
    "french": """
        jean pierre nicolas julien thomas antoine mathieu olivier francois philippe
        guillaume maxime hugo theo louis baptiste quentin romain vincent clement arnaud
        lea chloe camille manon marie sophie claire juliette amelie elodie margaux celine
        aurelie isabelle nathalie sandrine emilie pauline oceane mathilde anais agathe
        lucie louise
    """,
    "german": """
        hans jurgen klaus stefan andreas markus tobias lukas felix jonas leon maximilian
        florian sebastian matthias sven jan jens dirk uwe wolfgang dieter helmut jorg
        frank torsten thorsten niklas moritz timo kai
        katharina lena johanna sabine petra ursula monika birgit anke heike susanne
        stefanie kerstin claudia silke nadine jana franziska annika
    """,
    "italian": """
        giuseppe giovanni marco luca matteo alessandro andrea francesco lorenzo davide
        riccardo stefano paolo roberto simone federico giorgio emanuele salvatore antonio
        giulia chiara francesca alessia martina federica elisa giorgia beatrice valentina
        silvia sara aurora ginevra serena ilaria roberta
    """,
    "dutch": """
        pieter joost bram daan sander ruben thijs stijn jeroen bas niels willem henk kees
        joris koen wouter sjoerd maarten gijs lars
        sanne femke anouk lotte fleur eva lisa maartje marloes ilse inge esther annemarie
    """,
    "polish": """
        piotr krzysztof tomasz pawel michal marcin lukasz jakub kamil wojciech marek
        bartosz grzegorz mateusz rafal szymon
        katarzyna agnieszka malgorzata magdalena joanna aleksandra natalia karolina zofia
        ewa dorota justyna weronika zuzanna
    """,
    "turkish": """
        mehmet mustafa ahmet huseyin hasan ibrahim ismail murat emre burak cem kerem
        yusuf omer serkan onur baris tolga kemal
        elif zeynep ayse fatma emine esra merve busra selin ozge ece ebru gizem derya
    """,
    "arabic": """
        mohammed muhammad mohamed ahmed ahmad omar khalid youssef yousef hassan hussein
        abdullah karim tariq samir nabil rami fadi faisal hamza bilal sami walid ziad
        fatima aisha mariam layla leila nour noor huda rania salma yasmin yasmine hana
        dina lina amira samira zainab mona reem
    """,
    "persian": """
        ali reza mohammad hossein mehdi amir darius dariush arash babak kaveh farhad omid
        navid sina behnam payam
        maryam fatemeh zahra narges parisa shirin roya negar mahsa sepideh nazanin
        golnar azadeh
    """,
    "indian": """
        aarav arjun rahul rohit amit anil sunil vijay raj ravi sanjay suresh ramesh
        rajesh deepak vikram aditya karan nikhil pranav siddharth ankit arun harsh kiran
        manish gaurav varun vivek sachin abhishek akash ashok naveen prakash rakesh
        priya pooja neha anjali divya kavya ananya aishwarya shreya sneha riya deepika
        sunita lakshmi meera nisha swati sakshi aditi isha tanvi pallavi shweta preeti
        anita kavita rekha
    """,
    "chinese": """
        wei fang jing ming yan hui lei xin hao jun ling mei xiaoming xiaoyu zhiwei jiahao
        yuxuan zihan haoran yiming xinyi yuting jiayi
        wang zhang liu chen yang huang zhao zhou
    """,
    "japanese": """
        haruto sota yuto riku kenji hiroshi takeshi akira satoshi daiki kenta shota
        takumi yuki hina yui sakura aoi naoko keiko yuko kaori yumi ayumi haruka misaki
        nanami emi
    """,
    "korean": """
        minji jisoo jiwoo seojun jimin yuna minho jihoon hyunwoo seoyeon jiyeon soojin
        eunji taeyang donghyun sungmin
        kim lee park choi jung kang yoon
    """,
    "nigerian": """
        chinedu chioma ngozi emeka oluwaseun seun tunde adebayo ayo bola femi funmi kemi
        tolu uche ifeoma obinna ikenna nneka amaka yemi bukola segun kunle dayo chidi
        chinonso tobi temi damilola olamide
    """,
    "swahili": """
        amani baraka juma neema zawadi imani asha halima rehema wanjiru wambui kamau
        otieno akinyi achieng njeri mwangi jabari zuri furaha wanjiku kipchoge
    """,
}

FIRST_NAMES: frozenset[str] = frozenset(
    name for names in _BY_CULTURE.values() for name in names.split()
)
